"""A TCP proxy that counts the bytes between the daemon and Dovecot, with timestamps.

It measures the real daemon without changing it: the daemon's IMAP URL points here, and every
chunk relayed in either direction is recorded as (monotonic time, direction, bytes).
"""
import socket
import threading
import time


class WireProxy:
    def __init__(self, listen_port, target_port, host="127.0.0.1"):
        self.host, self.target_port = host, target_port
        self.events = []  # (time, "up" | "down", bytes)
        self.connections = 0
        self.lock = threading.Lock()
        self.server = socket.create_server((host, listen_port), reuse_port=False)
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection((self.host, self.target_port))
            for s in (client, upstream):
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self.lock:
                self.connections += 1
            threading.Thread(target=self._pump, args=(client, upstream, "up"), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, "down"), daemon=True).start()

    def _pump(self, src, dst, direction):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                with self.lock:
                    self.events.append((time.monotonic(), direction, len(data)))
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def take_events(self):
        with self.lock:
            events, self.events = self.events, []
        return events

    def close(self):
        self.server.close()


def bursts(events, gap=0.95):
    """Groups events less than `gap` seconds apart: one burst is one poll cycle (the daemon sleeps
    a whole poll interval, 1 s here, between cycles)."""
    groups = []
    for event in sorted(events):
        if groups and event[0] - groups[-1][-1][0] < gap:
            groups[-1].append(event)
        else:
            groups.append([event])
    return [
        {
            "seconds": g[-1][0] - g[0][0],
            "server_seconds": server_time(g),
            "bytes": sum(e[2] for e in g),
            "up": sum(e[2] for e in g if e[1] == "up"),
            "down": sum(e[2] for e in g if e[1] == "down"),
        }
        for g in groups
    ]


def server_time(events):
    """Time from each command (a chunk up) to the first answer chunk after it: Dovecot's share."""
    total, asked = 0.0, None
    for when, direction, _ in events:
        if direction == "up" and asked is None:
            asked = when
        elif direction == "down" and asked is not None:
            total += when - asked
            asked = None
    return total
