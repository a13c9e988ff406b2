"""Helpers for cvdbot's integration tests: a real mail stack (contrib/mailstack.sh), the real
cvdbot binary, and Python's own smtplib/imaplib/email as an independent second client."""

import email
import email.policy
import imaplib
import os
import shutil
import signal
import smtplib
import sqlite3
import subprocess
import tempfile
import time
import unittest
from email.message import EmailMessage
from email.utils import make_msgid

SOURCE_DIR = os.environ["CVDBOT_SOURCE_DIR"]
CVDBOT = os.environ["CVDBOT_BIN"]
USERS = ["bot", "discoverer", "discoverer2", "vendor", "vendor2", "operator", "coordinator"]


def load_env(path):
    env = {}
    with open(path) as f:
        for line in f:
            key, _, value = line.strip().partition("=")
            if key:
                env[key] = value.strip("'\"")
    return env


STACK = load_env(os.environ["MAILSTACK_ENV"])
DOMAIN = STACK.get("MAILSTACK_DOMAIN", "example.test")
PASSWORD = STACK.get("MAILSTACK_PASSWORD", "secret")
SMTP_PORT = int(STACK["MAILSTACK_SMTP_PORT"])
IMAP_PORT = int(STACK["MAILSTACK_IMAP_PORT"])


def addr(user):
    return f"{user}@{DOMAIN}"


def mailstack(*args):
    subprocess.run([os.path.join(SOURCE_DIR, "contrib", "mailstack.sh"), *args, STACK["MAILSTACK_DIR"]],
                   check=True, stdout=subprocess.DEVNULL)


def imap(user):
    conn = imaplib.IMAP4("127.0.0.1", IMAP_PORT)
    conn.login(user, PASSWORD)
    conn.select("INBOX")
    return conn


def fetch_all(user):
    """Every message in user's INBOX as (uid, bytes), oldest first."""
    conn = imap(user)
    try:
        typ, data = conn.uid("SEARCH", None, "ALL")
        uids = data[0].split()
        out = []
        for uid in uids:
            typ, msg = conn.uid("FETCH", uid, "(BODY.PEEK[])")
            out.append((int(uid), msg[0][1]))
        return out
    finally:
        conn.logout()


def messages(user):
    return [email.message_from_bytes(raw, policy=email.policy.default) for _, raw in fetch_all(user)]


def text_of(msg):
    """The text/plain content of a message the bot signed (multipart/signed) or wrote plain."""
    for part in msg.walk():
        if part.get_content_type() == "text/plain":
            return part.get_content()
    raise AssertionError(f"no text/plain part in {msg.get_content_type()}")


def clear_mailboxes():
    for user in USERS:
        conn = imap(user)
        try:
            typ, data = conn.select("INBOX")
            if int(data[0]) > 0:
                conn.store("1:*", "+FLAGS", "\\Deleted")
                conn.expunge()
        finally:
            conn.logout()


def send(msg, sender=None, recipients=None):
    with smtplib.SMTP("127.0.0.1", SMTP_PORT) as smtp:
        smtp.send_message(msg, from_addr=sender, to_addrs=recipients)


def send_raw(raw_bytes, sender, recipients):
    with smtplib.SMTP("127.0.0.1", SMTP_PORT) as smtp:
        smtp.sendmail(sender, recipients, raw_bytes)


def append_raw(user, raw_bytes):
    """Put bytes straight into a mailbox, bypassing SMTP (for input no MTA would pass)."""
    conn = imap(user)
    try:
        typ, _ = conn.append("INBOX", None, None, raw_bytes)
        assert typ == "OK"
    finally:
        conn.logout()


def wait_for(predicate, timeout=10.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def wait_count(user, count, timeout=10.0):
    return wait_for(lambda: len(fetch_all(user)) >= count or None, timeout, f"{count} message(s) for {user}")


def report(subject="Vulnerability report", body="There is an XSS in product X 1.2.\n", sender="discoverer", **headers):
    msg = EmailMessage()
    msg["From"] = f"Test Discoverer <{addr(sender)}>"
    msg["To"] = addr("bot")
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain=DOMAIN)
    for key, value in headers.items():
        msg[key.replace("_", "-")] = value
    msg.set_content(body)
    return msg


class CvdbotTestCase(unittest.TestCase):
    """A fresh database, config and empty mailboxes for every test."""

    retry_seconds = 1

    def setUp(self):
        clear_mailboxes()
        self.work = tempfile.mkdtemp(prefix="cvdbot-it-")
        rules = os.path.join(self.work, "rules")
        shutil.copytree(os.path.join(SOURCE_DIR, "rules"), rules)
        with open(os.path.join(rules, "workflow.toml")) as f:
            text = f.read()
        text = text.replace("retry_initial_seconds = 60", f"retry_initial_seconds = {self.retry_seconds}")
        text = text.replace("retry_max_seconds = 3600", f"retry_max_seconds = {self.retry_seconds * 2}")
        with open(os.path.join(rules, "workflow.toml"), "w") as f:
            f.write(text)
        self.db_path = os.path.join(self.work, "cvdbot.db")
        self.config = os.path.join(self.work, "cvdbot.toml")
        with open(self.config, "w") as f:
            f.write(f"""
[imap]
url = "imap://127.0.0.1:{IMAP_PORT}"
user = "bot"
password = "{PASSWORD}"
[smtp]
url = "smtp://127.0.0.1:{SMTP_PORT}"
[bot]
address = "{addr('bot')}"
name = "cvdbot test"
[paths]
database = "{self.db_path}"
templates = "{os.path.join(SOURCE_DIR, 'templates')}"
rules = "{rules}"
[daemon]
poll_interval_seconds = 1
""")

    def tearDown(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def cvdbot(self, *args, check=True, timeout=60):
        proc = subprocess.run([CVDBOT, "--config", self.config, *args], capture_output=True, text=True,
                              timeout=timeout)
        if check and proc.returncode != 0:
            self.fail(f"cvdbot {' '.join(args)} exited {proc.returncode}\nstdout:\n{proc.stdout}\n"
                      f"stderr:\n{proc.stderr}")
        return proc

    def run_once(self, check=True):
        return self.cvdbot("run", "--once", check=check)

    def db(self, sql, *params):
        conn = sqlite3.connect(self.db_path)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()


class DaemonTestCase(CvdbotTestCase):
    """The daemon running on its own (`cvdbot run`), its log in the work directory."""

    def setUp(self):
        super().setUp()
        self.proc = None
        self.log_path = os.path.join(self.work, "cvdbot.log")

    def tearDown(self):
        self.stop_daemon_and_agent()
        super().tearDown()

    def stop_daemon_and_agent(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        subprocess.run(["gpgconf", "--homedir", os.path.join(self.work, "gnupg"), "--kill", "gpg-agent"],
                       capture_output=True)

    def start(self):
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen([CVDBOT, "--config", self.config, "run", "--allow-root"],
                                         stdout=log, stderr=log, stdin=subprocess.DEVNULL)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.assertEqual(self.proc.wait(timeout=60), 0, self.log())

    def log(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def query(self, sql):
        """Reads the database while the daemon writes it."""
        conn = sqlite3.connect(self.db_path, timeout=30)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()
