"""Messages for the benchmark: plaintext reports and replies, PGP/MIME, a large attachment.

Delivery writes Maildir files straight into the bot's mailbox (as Dovecot's user), which is the
fastest way to have thousands of messages waiting before the daemon starts.
"""
import base64
import os
import pwd
import grp
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from email.utils import formatdate

DOMAIN = "example.test"

REPORT_BODY = """Product: Example WebMail {n}
Version: 3.{n}
Vulnerability: stored cross-site scripting in the address book (benchmark report {n})

Steps to reproduce:
1. Log in as any user.
2. Add a contact whose name is <script>alert({n})</script>.
3. Open the address book: the script runs.

Impact: an attacker who can add a contact runs script in the victim's session.
I would like to be credited as Bench Tester {n}.
"""


def message_id(kind, n):
    return f"<bench-{kind}-{n}@{DOMAIN}>"


def plain_report(n, sender="discoverer"):
    return (
        f"From: Bench Tester {n} <{sender}@{DOMAIN}>\r\n"
        f"To: bot@{DOMAIN}\r\n"
        f"Subject: Vulnerability report: Example WebMail XSS #{n}\r\n"
        f"Date: {formatdate(localtime=True)}\r\n"
        f"Message-ID: {message_id('report', n)}\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n" + REPORT_BODY.format(n=n).replace("\n", "\r\n")
    ).encode()


def plain_reply(n, case_tag, sender="discoverer"):
    """A follow-up by the discoverer on an existing case (threaded by the tag and References)."""
    return (
        f"From: Bench Tester {n} <{sender}@{DOMAIN}>\r\n"
        f"To: bot@{DOMAIN}\r\n"
        f"Subject: Re: [{case_tag}] Vulnerability report: Example WebMail XSS #{n}\r\n"
        f"Date: {formatdate(localtime=True)}\r\n"
        f"Message-ID: {message_id('reply', n)}\r\n"
        f"In-Reply-To: {message_id('report', n)}\r\n"
        f"References: {message_id('report', n)}\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"One more detail for case {case_tag}: the issue also affects version 2.{n}.\r\n"
    ).encode()


def filler(n):
    """A small message standing for one already processed long ago (the 100,000 mailbox)."""
    return (
        f"From: old{n}@{DOMAIN}\r\nTo: bot@{DOMAIN}\r\nSubject: old message {n}\r\n"
        f"Message-ID: {message_id('old', n)}\r\n\r\nprocessed long ago\r\n"
    ).encode()


def big_attachment_report(n, megabytes):
    blob = os.urandom(megabytes << 20)
    encoded = base64.encodebytes(blob).replace(b"\n", b"\r\n")
    head = (
        f"From: Bench Tester {n} <discoverer@{DOMAIN}>\r\n"
        f"To: bot@{DOMAIN}\r\n"
        f"Subject: Vulnerability report with a {megabytes} MB capture #{n}\r\n"
        f"Date: {formatdate(localtime=True)}\r\n"
        f"Message-ID: {message_id('big', n)}\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n'
        "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + REPORT_BODY.format(n=n).replace("\n", "\r\n")
        + "\r\n--b1\r\nContent-Type: application/octet-stream\r\n"
        'Content-Disposition: attachment; filename="capture.pcap"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
    ).encode()
    return head + encoded + b"\r\n--b1--\r\n"


def gpg(home, *args, data=None):
    return subprocess.run(
        ["gpg", "--homedir", home, "--batch", "--yes", "--pinentry-mode", "loopback",
         "--passphrase", "", *args],
        input=data, check=True, capture_output=True,
    ).stdout


def pgp_mime_report(n, sender_home, sender, recipient, from_local):
    """A PGP/MIME report, signed by the sender and encrypted to the bot (RFC 3156)."""
    inner = plain_report(n, from_local)
    headers, body = inner.split(b"\r\n\r\n", 1)
    entity = (b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body)
    armored = gpg(sender_home, "--trust-model", "always", "--armor", "--sign", "--encrypt",
                  "--local-user", sender, "--recipient", recipient, data=entity)
    outer = [h for h in headers.split(b"\r\n") if not h.lower().startswith((b"content-", b"mime-"))]
    outer = [h.replace(b"Vulnerability report", b"Encrypted report") for h in outer]
    outer = [h.replace(b"bench-report-", b"bench-pgp-") for h in outer]
    return (
        b"\r\n".join(outer) + b"\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="e1"\r\n\r\n'
        b"--e1\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n"
        b'--e1\r\nContent-Type: application/octet-stream; name="encrypted.asc"\r\n\r\n'
        + armored.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        + b"\r\n--e1--\r\n"
    ), armored


def make_pgp(count, first, sender_home, sender, recipient, first_tag, workers=2):
    """`count` PGP/MIME reports, each from its own address (discoverer+N, signed by discoverer's key)."""
    local = sender.split("@")[0]
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(
            lambda i: pgp_mime_report(first + i, sender_home, sender, recipient, f"{local}+{first_tag + i}"),
            range(count)))


class Maildir:
    """The bot's Maildir, written as Dovecot's mail user so that Dovecot may rename the files."""

    def __init__(self, path, user="nobody", group="nogroup"):
        self.path = path
        self.uid, self.gid = pwd.getpwnam(user).pw_uid, grp.getgrnam(group).gr_gid
        self.serial = 0
        for sub in ("", "cur", "new", "tmp"):
            d = os.path.join(path, sub)
            if not os.path.isdir(d):
                os.makedirs(d, mode=0o700, exist_ok=True)
                os.chown(d, self.uid, self.gid)

    def deliver(self, raw, seen=False):
        self.serial += 1
        name = f"{int(time.time())}.M{self.serial}P{os.getpid()}.bench"
        tmp = os.path.join(self.path, "tmp", name)
        with open(tmp, "wb") as f:
            f.write(raw)
        os.chown(tmp, self.uid, self.gid)
        if seen:
            os.rename(tmp, os.path.join(self.path, "cur", name + ":2,S"))
        else:
            os.rename(tmp, os.path.join(self.path, "new", name))
