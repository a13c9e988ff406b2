"""The pieces a benchmark phase needs: the mail stack's env, the daemon, the database, IMAP."""
import contextlib
import imaplib
import os
import signal
import sqlite3
import subprocess
import time


def read_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.strip().partition("=")
            env[key] = value.strip('"')
    return env


def write_config(path, *, imap_url, smtp_url, root, database, gnupg_home, poll=1, idle=None):
    idle_line = "" if idle is None else f"idle = {'true' if idle else 'false'}\n"
    with open(path, "w") as f:
        f.write(
            f'[imap]\nurl = "{imap_url}"\nuser = "bot"\npassword = "secret"\nmailbox = "INBOX"\n{idle_line}'
            f'[smtp]\nurl = "{smtp_url}"\n'
            '[bot]\naddress = "bot@example.test"\nname = "cvdbot bench"\ncase_prefix = "CVD"\n'
            f'[paths]\ndatabase = "{database}"\ntemplates = "{root}/templates"\nrules = "{root}/rules"\n'
            f"[daemon]\npoll_interval_seconds = {poll}\n"
            '[coordinators]\naddresses = ["coordinator@example.test"]\n'
            f'[crypto]\ngnupg_home = "{gnupg_home}"\n'
        )


class Daemon:
    """`cvdbot run` as a child process; its peak RSS is read from /proc before it stops."""

    def __init__(self, binary, config, log_path, level="info"):
        self.log = open(log_path, "ab")
        self.proc = subprocess.Popen(
            [binary, "--config", config, "--log-level", level, "run", "--allow-root"],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=os.path.dirname(config))
        self.started = time.monotonic()

    def alive(self):
        return self.proc.poll() is None

    def peak_rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def cpu_seconds(self):
        """User and system CPU time of the daemon (all its threads) so far."""
        try:
            with open(f"/proc/{self.proc.pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError):
            return 0.0

    def stop(self):
        peak = self.peak_rss_kib() if self.alive() else 0
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return peak


class Db:
    def __init__(self, path):
        self.path = path

    def query(self, sql, *args):
        for _ in range(50):
            try:
                con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=5)
                try:
                    return con.execute(sql, args).fetchall()
                finally:
                    con.close()
            except sqlite3.OperationalError:
                time.sleep(0.05)
        raise RuntimeError(f"database {self.path} stays unreadable")

    def one(self, sql, *args):
        return self.query(sql, *args)[0][0]

    def processed_inbound(self):
        return self.one("SELECT count(*) FROM messages WHERE direction = 'inbound' AND status <> 'pending'")

    def pending_inbound(self):
        return self.one("SELECT count(*) FROM messages WHERE status = 'pending'")

    def outbox(self, state):
        return self.one("SELECT count(*) FROM outbox WHERE state = ?", state)


def wait_caught_up(db, daemon, expected_inbound, timeout):
    """Until every inbound message is processed and the outbox holds nothing queued.

    Asked every 50 ms, but the count of processed messages reads the whole table (several MB
    after a catch-up): it was 7 % of the machine's CPU, taken from the daemon it measures. So
    it is counted only while nothing is pending or queued (both answered by partial indexes):
    before the daemon has stored the messages, and at the end."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not daemon.alive():
            raise RuntimeError("the daemon exited during the run: see its log")
        try:
            if db.pending_inbound() == 0 and db.outbox("queued") == 0 and \
                    db.processed_inbound() >= expected_inbound:
                return time.monotonic()
        except sqlite3.DatabaseError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"not caught up after {timeout} s: {db.processed_inbound()} of {expected_inbound} processed")


@contextlib.contextmanager
def imap_session(port):
    conn = imaplib.IMAP4("127.0.0.1", port)
    conn.login("bot", "secret")
    conn.select("INBOX", readonly=True)
    try:
        yield conn
    finally:
        conn.logout()


def imap_status(port, code=None):
    """(message count, UIDNEXT) of bot's INBOX, or the value of one SELECT response `code`.
    SELECT makes Dovecot index new files, and, not being read-only, takes their \\Recent flag as a
    mail client would have long ago (a session that finds 100,000 \\Recent messages makes every
    SELECT of the daemon's cost ~200 ms more in Dovecot)."""
    conn = imaplib.IMAP4("127.0.0.1", port)
    conn.login("bot", "secret")
    typ, data = conn.select("INBOX")
    count = int(data[0])
    values = {name: int(conn.response(name)[1][0]) for name in ("UIDNEXT", "UIDVALIDITY")}
    conn.logout()
    return values[code] if code else (count, values["UIDNEXT"])
