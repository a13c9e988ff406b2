"""Crash test: mail flows through the real mail stack into the long-running daemon
(`cvdbot run`), which is killed with SIGKILL at random moments and restarted at once. At the
end every inbound message must have been processed exactly once, every message the bot
queued must have arrived exactly once (a kill between the SMTP server's acceptance and the
commit that records it may deliver a message twice, always with the same Message-ID: these
are counted and printed), the database must pass `PRAGMA integrity_check`, and every
processed message must have its audit entry.

The small version runs in ctest (integration_Crash). The full version (1,000 messages, 50
kills, ~10 minutes: longer than ctest's 300 s limit, so run it directly) from a configured
build directory:

    cd build/r && ctest -R integration_mailstack_start
    cd ../../tests/integration && MAILSTACK_ENV=$PWD/../../build/r/mailstack-it/env \
      CVDBOT_BIN=$PWD/../../build/r/src/app/cvdbot CVDBOT_SOURCE_DIR=$PWD/../.. CVDBOT_ALLOW_ROOT=1 \
      CRASH_MESSAGES=1000 CRASH_KILLS=50 python3 -m unittest -v test_crash.Crash
    cd ../../build/r && ctest -R integration_mailstack_stop

CRASH_SEED fixes the random choices to replay a run."""

import collections
import email
import email.policy
import os
import random
import signal
import sqlite3
import subprocess
import time

from mailtest import CVDBOT, addr, fetch_all, send, report, wait_for

REPORTERS = ["discoverer", "discoverer2"]
VENDORS = ["vendor", "vendor2"]
RECIPIENTS = REPORTERS + VENDORS + ["operator", "coordinator"]


def bare(message_id):
    return (message_id or "").strip().strip("<>")


class CrashRun:
    def __init__(self, config, db_path, log_path, messages, kills, seed):
        self.config, self.db_path, self.log_path = config, db_path, log_path
        self.n, self.k = messages, kills
        self.rng = random.Random(seed)
        self.seed = seed
        self.proc = None
        self.sent_ids = []  # Message-IDs fed to the bot, in order
        self.reports = {}  # Message-ID -> reporter user
        self.orders = 0  # `case do` orders given
        self.kills_done = 0

    # --- the daemon ----------------------------------------------------------------------
    def start(self):
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([CVDBOT, "--config", self.config, "run", "--allow-root"],
                                     stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        log.close()

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.kills_done += 1

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)
        return self.proc.returncode

    # --- reading the database while the daemon writes it -------------------------------------
    def query(self, sql, *params):
        for _ in range(50):
            try:
                conn = sqlite3.connect(self.db_path, timeout=5)
                try:
                    return conn.execute(sql, params).fetchall()
                finally:
                    conn.close()
            except sqlite3.OperationalError:
                time.sleep(0.1)  # no such table yet, or busy
        raise AssertionError(f"cannot read {self.db_path}")

    def cases(self, role):
        """(case id, participant address) for every case with a participant of that role."""
        rows = self.query("SELECT c.prefix, c.year, c.number, p.address, c.state FROM cases c "
                          "JOIN participants p ON p.case_id = c.id WHERE p.role = ?", role)
        return [(f"{prefix}#{year}-{number:04d}", address, state) for prefix, year, number, address, state in rows]

    # --- the traffic -----------------------------------------------------------------------
    def feed_one(self, i):
        discoverers = self.cases("discoverer")
        vendors = self.cases("vendor")
        choice = self.rng.random()
        if not discoverers or choice < 0.4:
            user = self.rng.choice(REPORTERS)
            msg = report(subject=f"Crash test report {i}", sender=user,
                         body=f"Product: Router {i}\nVersion: 1.{i}\nThere is an XSS in the search form.\n")
            self.reports[bare(msg["Message-ID"])] = user
        elif vendors and choice < 0.65:
            case, vendor, _ = self.rng.choice(vendors)
            msg = self.reply(vendor, case, f"We are looking into it ({i}).")
        else:
            case, discoverer, state = self.rng.choice(discoverers)
            if state == "received" and self.rng.random() < 0.5:
                self.order(case)
            msg = self.reply(discoverer, case, f"One more detail ({i}): it also works in Firefox.")
        send(msg)
        self.sent_ids.append(bare(msg["Message-ID"]))

    @staticmethod
    def reply(address, case, body):
        return report(subject=f"Re: [{case}] crash test", body=body, sender=address.split("@")[0])

    def order(self, case):
        """A coordinator accepts the case and contacts a vendor, as `case do` would from a shell."""
        vendor = addr(self.rng.choice(VENDORS))
        for _ in range(20):
            proc = subprocess.run([CVDBOT, "--config", self.config, "case", "do", case, "accept", ";", "track",
                                   "product", ";", "contact", "vendor", vendor],
                                  capture_output=True, text=True, timeout=60)
            if proc.returncode == 0:
                self.orders += 1
                return
            if "locked" not in proc.stderr and "busy" not in proc.stderr:
                raise AssertionError(f"case do {case} failed: {proc.stderr}")
            time.sleep(0.2)

    def run(self):
        kill_after = set(self.rng.sample(range(self.n), self.k))
        self.start()
        for i in range(self.n):
            self.feed_one(i)
            if i in kill_after:
                # A random moment: mid-fetch, mid-transaction, mid-SMTP or asleep.
                time.sleep(self.rng.uniform(0, 0.6))
                self.kill()
                self.start()
            else:
                time.sleep(self.rng.uniform(0, 0.1))
        self.drain()
        return self.stop()

    def drain(self):
        """Let the daemon (not killed any more) finish everything that was fed to it."""
        n = len(self.sent_ids)

        def settled():
            inbound = self.query("SELECT count(*), sum(status = 'pending') FROM messages WHERE direction = 'inbound'")
            queued = self.query("SELECT count(*) FROM outbox WHERE state = 'queued'")[0][0]
            return inbound[0][0] >= n and not inbound[0][1] and queued == 0
        wait_for(settled, timeout=60 + n * 0.5, what="the daemon to process and send everything")
        time.sleep(1.5)  # the last SMTP deliveries reach the mailboxes (~0.1 s)

    # --- the verdict -----------------------------------------------------------------------
    def figures(self):
        f = {"seed": self.seed, "kills": self.kills_done, "orders": self.orders, "messages_in": len(self.sent_ids)}
        inbound = self.query("SELECT id, message_id, status FROM messages WHERE direction = 'inbound'")
        by_id = collections.Counter(bare(m) for _, m, _ in inbound)
        f["processed"] = sum(1 for _, m, s in inbound if s != "pending" and bare(m) in set(self.sent_ids))
        f["inbound_duplicates"] = sum(c - 1 for c in by_id.values() if c > 1)
        f["lost_inbound"] = sorted(set(self.sent_ids) - set(by_id))
        f["not_processed"] = [m for _, m, s in inbound if s == "pending"]
        f["statuses"] = dict(collections.Counter(s for _, _, s in inbound))
        audited = {row[0] for row in self.query("SELECT DISTINCT message_id FROM audit_log WHERE message_id IS NOT NULL")}
        f["unaudited"] = [m for i, m, s in inbound if s != "pending" and i not in audited]
        f["integrity"] = self.query("PRAGMA integrity_check")[0][0]

        # Outgoing: every row of the outbox, by Message-ID and recipient, against the mailboxes.
        expected = collections.Counter()
        for message_id, recipients, state in self.query(
                "SELECT m.message_id, o.recipients, o.state FROM outbox o JOIN messages m ON m.id = o.message_id"):
            for rcpt in recipients.split(","):
                expected[(bare(message_id), rcpt.strip().lower())] += 1
            if state != "sent":
                f.setdefault("outbox_not_sent", []).append((bare(message_id), state))
        arrived = collections.Counter()
        acks = collections.defaultdict(set)  # report Message-ID -> Message-IDs of the bot's answers
        for user in RECIPIENTS:
            for _, raw in fetch_all(user):
                msg = email.message_from_bytes(raw, policy=email.policy.default)
                arrived[(bare(msg["Message-ID"]), addr(user))] += 1
                answers = bare(msg["In-Reply-To"])
                # Automatic replies in the reporter's own mailbox: the acknowledgment, and the
                # list of missing fields when the form is incomplete; each kind once.
                if self.reports.get(answers) == user and str(msg["Auto-Submitted"]) == "auto-replied":
                    acks[answers].add((str(msg["Subject"]), bare(msg["Message-ID"])))
        f["outgoing_expected"] = sum(expected.values())
        f["outgoing_arrived"] = sum(min(arrived[key], 1) for key in expected)
        f["outgoing_duplicated"] = sum(arrived[key] - 1 for key in expected if arrived[key] > 1)
        f["outgoing_lost"] = sorted(k for k in expected if arrived[k] == 0)
        f["outgoing_unexpected"] = sorted(k for k in arrived if k not in expected)
        f["outgoing_twice_queued"] = sorted(k for k, c in expected.items() if c > 1)
        # Independent of the outbox: each report answered by exactly one acknowledgment.
        f["reports"] = len(self.reports)
        f["reports_unanswered"] = sorted(m for m in self.reports if len(acks[m]) == 0)
        f["reports_answered_twice"] = sorted(
            m for m in self.reports if len({subject for subject, _ in acks[m]}) < len(acks[m]))
        return f


def print_figures(f):
    print("\n=== crash test figures ===")
    for key in ["seed", "kills", "orders", "messages_in", "processed", "inbound_duplicates", "statuses",
                "outgoing_expected", "outgoing_arrived", "outgoing_duplicated", "reports", "integrity"]:
        print(f"{key:22} {f[key]}")
    for key in ["lost_inbound", "not_processed", "unaudited", "outgoing_lost", "outgoing_unexpected",
                "outgoing_twice_queued", "reports_unanswered", "reports_answered_twice", "outbox_not_sent"]:
        print(f"{key:22} {len(f.get(key, []))} {f.get(key, [])[:5]}")
