"""The benchmark's phases. Each returns rows: (figure, value, target, verdict, note)."""
import glob
import os
import re
import smtplib
import sqlite3
import statistics
import subprocess
import time

import mailgen
from stack import Daemon, Db, imap_session, imap_status, wait_caught_up, write_config


def load_note():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def loaded(ctx):
    """A figure taken while the machine (2 cores here) ran other work is marked so."""
    load = load_note()
    return f"load {load:.1f}" + (" LOADED" if load > ctx.cores * 0.6 else "")


class Context:
    def __init__(self, binary, root, work, env, counts):
        self.binary, self.root, self.work, self.env, self.counts = binary, root, work, env, counts
        self.cores = os.cpu_count() or 1
        self.bot_dir = os.path.join(work, "bot")
        self.gnupg_home = os.path.join(work, "g")
        self.sender_home = os.path.join(work, "d")
        self.database = os.path.join(self.bot_dir, "cvdbot.db")
        self.config = os.path.join(self.bot_dir, "cvdbot.toml")
        self.db = Db(self.database)
        self.smtp_bench = None  # bench/net/smtp_bench, if built
        self.imap_port = int(env["MAILSTACK_IMAP_PORT"])
        self.smtp_port = int(env["MAILSTACK_SMTP_PORT"])
        self.maildir = mailgen.Maildir(os.path.join(env["MAILSTACK_DIR"], "mail", "bot", "Maildir"))
        self.daemon = None
        self.results = {}
        self.idle_supported = False

    def write_config(self, path=None, imap_url=None, idle=None):
        write_config(path or self.config, imap_url=imap_url or self.env["MAILSTACK_IMAP_URL"],
                     smtp_url=self.env["MAILSTACK_SMTP_URL"], root=self.root, database=self.database,
                     gnupg_home=self.gnupg_home, idle=idle)

    def cli(self, *args, config=None):
        return subprocess.run([self.binary, "--config", config or self.config, *args], check=True,
                              capture_output=True, cwd=self.bot_dir).stdout

    def prepare(self):
        for d in (self.bot_dir, self.gnupg_home, self.sender_home):
            os.makedirs(d, mode=0o700, exist_ok=True)
        self.write_config()
        self.idle_supported = self.probe_idle()
        # The bot's key pair is made on first use; the discoverer has a key the bot knows.
        bot_key = self.cli("key", "export-bot")
        mailgen.gpg(self.sender_home, "--quick-gen-key", f"discoverer <discoverer@{mailgen.DOMAIN}>",
                    "ed25519", "sign,cert", "never")
        fpr = [ln.split(":")[9] for ln in mailgen.gpg(self.sender_home, "--with-colons", "--list-secret-keys")
               .decode().splitlines() if ln.startswith("fpr:")][0]
        mailgen.gpg(self.sender_home, "--quick-add-key", fpr, "cv25519", "encr", "never")
        mailgen.gpg(self.sender_home, "--import", data=bot_key)
        sender_key = os.path.join(self.work, "discoverer.asc")
        with open(sender_key, "wb") as f:
            f.write(mailgen.gpg(self.sender_home, "--armor", "--export", fpr))
        self.cli("key", "import", sender_key, "--for", f"discoverer@{mailgen.DOMAIN}")

    def probe_idle(self):
        """IDLE is measured only when the daemon's configuration knows `[imap] idle`."""
        probe_dir = os.path.join(self.work, "probe")
        os.makedirs(probe_dir, exist_ok=True)
        probe = os.path.join(probe_dir, "probe.toml")
        outcome = {}
        for idle in (None, True):
            write_config(probe, imap_url=self.env["MAILSTACK_IMAP_URL"], smtp_url=self.env["MAILSTACK_SMTP_URL"],
                         root=self.root, database=os.path.join(probe_dir, "probe.db"),
                         gnupg_home=self.gnupg_home, idle=idle)
            outcome[idle] = subprocess.run([self.binary, "--config", probe, "case", "list"], capture_output=True,
                                           cwd=probe_dir)
        if outcome[None].returncode != 0:
            raise RuntimeError(f"cvdbot refuses the bench configuration: {outcome[None].stderr.decode()}")
        return outcome[True].returncode == 0

    def start_daemon(self, config=None, level="info"):
        self.daemon = Daemon(self.binary, config or self.config, os.path.join(self.work, "cvdbot.log"), level)
        return self.daemon

    def stop_daemon(self):
        peak = self.daemon.stop() if self.daemon else 0
        self.daemon = None
        return peak

    def index(self):
        """Dovecot assigns UIDs to the new Maildir files on this SELECT."""
        return imap_status(self.imap_port)


def row(figure, value, target="", verdict="", note=""):
    return {"figure": figure, "value": value, "target": target, "verdict": verdict, "note": note}


def verdict(ok):
    return "met" if ok else "NOT met"


def machine_busy_seconds():
    """CPU seconds all cores spent on anything but idling and waiting for I/O, since boot."""
    with open("/proc/stat") as f:
        ticks = [int(v) for v in f.readline().split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def wait_delivered(ctx, timeout=900):
    """Waits until Postfix's queue is empty: every message of the step before has reached
    Dovecot (or was discarded, bench/run.sh). Otherwise the next measurement shares the machine
    with those deliveries (LMTP into a Maildir costs about 30 ms of CPU per message here), and a
    limit taken right after a catch-up looks slower than it is."""
    queue = os.path.join(ctx.env["MAILSTACK_RUN_DIR"], "postfix")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        waiting = sum(len(files) for sub in ("maildrop", "incoming", "active", "deferred")
                      for _, _, files in os.walk(os.path.join(queue, sub)))
        if waiting == 0:
            return
        time.sleep(0.2)
    raise RuntimeError(f"Postfix's queue in {queue} did not empty in {timeout} s")


def run_catch_up(ctx, expected_new, timeout):
    wait_delivered(ctx)
    before = ctx.db.processed_inbound() if os.path.exists(ctx.database) else 0
    sent_before = ctx.db.outbox("sent") if os.path.exists(ctx.database) else 0
    busy_before = machine_busy_seconds()
    daemon = ctx.start_daemon()
    end = wait_caught_up(ctx.db, daemon, before + expected_new, timeout)
    seconds = end - daemon.started
    cpu = daemon.cpu_seconds()
    busy = machine_busy_seconds() - busy_before
    note = (f"daemon CPU {cpu:.1f} s, whole machine {busy / max(seconds, 1e-9) / os.cpu_count():.0%} busy; "
            + loaded(ctx))
    peak = ctx.stop_daemon()
    sent = ctx.db.outbox("sent") - sent_before
    return seconds, sent, peak, note


def catch_up(ctx):
    n_plain, n_pgp = ctx.counts["plain"], ctx.counts["pgp"]
    year = time.gmtime().tm_year
    reports = n_plain - n_plain // 2
    _, first_uid = ctx.index()
    # One sender per report (the bot answers one address at most 10 times an hour), and report
    # i gets UID order i, so that it opens case i and the reply from the same sender names it.
    with imap_session(ctx.imap_port) as conn:
        for i in range(1, reports + 1):
            ctx.maildir.deliver(mailgen.plain_report(i, f"discoverer+{i}"))
            conn.noop()  # Dovecot gives the new file its UID now
    for i in range(1, n_plain - reports + 1):
        ctx.maildir.deliver(mailgen.plain_reply(i, f"CVD#{year}-{i:04d}", f"discoverer+{i}"))
    _, next_uid = ctx.index()
    ctx.results["plain_uids"] = range(first_uid, next_uid)
    sent_before_run = max_outbox_id(ctx)
    seconds, sent, peak, note = run_catch_up(ctx, n_plain, 1800)
    ctx.results["plain_rate"] = n_plain / seconds
    ctx.results["plain_sent"] = sent
    ctx.results["reply_size"] = int(ctx.db.one(
        "SELECT avg(length(r.bytes)) FROM outbox o JOIN raw_messages r ON r.message_id = o.message_id"))
    ctx.results["peak_catch_up_plain"] = peak
    ctx.results["plain_replies"] = save_replies(ctx, sent_before_run)
    rows = [row(f"catch-up plaintext ({n_plain} msgs, {sent} replies sent)", f"{n_plain / seconds:.1f} msg/s",
                note=f"{seconds:.1f} s; {note}")]

    print(f"bench: making {n_pgp} PGP/MIME messages", flush=True)
    made = mailgen.make_pgp(n_pgp, 100001, ctx.sender_home, f"discoverer@{mailgen.DOMAIN}",
                            f"bot@{mailgen.DOMAIN}", ctx.counts["plain"] + 1)
    pgp_dir = os.path.join(ctx.work, "pgp")
    os.makedirs(pgp_dir, exist_ok=True)
    for i, (raw, armored) in enumerate(made):
        ctx.maildir.deliver(raw)
        with open(os.path.join(pgp_dir, f"{i:05d}.asc"), "wb") as f:
            f.write(armored)
    ctx.index()
    seconds, sent, peak, note = run_catch_up(ctx, n_pgp, 1800)
    ctx.results["pgp_rate"] = n_pgp / seconds
    ctx.results["peak_catch_up_pgp"] = peak
    rows.append(row(f"catch-up PGP/MIME ({n_pgp} msgs, {sent} replies sent)", f"{n_pgp / seconds:.1f} msg/s",
                    note=f"{seconds:.1f} s; {note}"))
    return rows


def max_outbox_id(ctx):
    return ctx.db.one("SELECT coalesce(max(id), 0) FROM outbox") if os.path.exists(ctx.database) else 0


def save_replies(ctx, after_id):
    """The replies the catch-up sent, as files and a curl config that submits each one (same
    bytes, same envelope) to the same Postfix: the limit of exactly the bot's SMTP work."""
    out = os.path.join(ctx.work, "replies")
    os.makedirs(out, exist_ok=True)
    config = os.path.join(ctx.work, "replies.conf")
    con = sqlite3.connect(f"file:{ctx.database}?mode=ro", uri=True, timeout=5)
    try:
        rows = con.execute("SELECT o.id, o.envelope_from, o.recipients, r.bytes FROM outbox o "
                           "JOIN raw_messages r ON r.message_id = o.message_id "
                           "WHERE o.id > ? AND o.state = 'sent' ORDER BY o.id", (after_id,)).fetchall()
    finally:
        con.close()
    url = f"smtp://127.0.0.1:{ctx.smtp_port}"
    with open(config, "w") as f:
        for n, (row_id, sender, recipients, raw) in enumerate(rows):
            path = os.path.join(out, f"{row_id}.eml")
            with open(path, "wb") as m:
                m.write(raw)
            if n:
                f.write("next\n")
            f.write(f'url = "{url}"\nmail-from = "{sender}"\nupload-file = "{path}"\n')
            for rcpt in recipients.split("\n"):
                f.write(f'mail-rcpt = "{rcpt}"\n')
    return config, len(rows)


def limits(ctx):
    rows = []
    uids = ctx.results.get("plain_uids")
    if uids:
        curl_config = os.path.join(ctx.work, "curl.conf")
        url = ctx.env["MAILSTACK_IMAP_URL"]
        with open(curl_config, "w") as f:
            for uid in uids:
                f.write(f'url = "{url}/INBOX;UID={uid}"\noutput = "/dev/null"\n')
        wait_delivered(ctx)
        start = time.monotonic()
        subprocess.run(["curl", "-sS", "--fail", "-u", "bot:secret", "-K", curl_config], check=True)
        fetch = time.monotonic() - start
        sent = max(ctx.results["plain_sent"], 1)
        size = ctx.results["reply_size"]

        def plain_limit(submit, limit, key, ratio_figure, note=""):
            """The same fetch plus `submit` (timed on a quiet stack): its row and the bot's ratio."""
            wait_delivered(ctx)
            start = time.monotonic()
            subprocess.run(submit, check=True)
            seconds = time.monotonic() - start
            tools = len(uids) / (fetch + seconds)
            ratio = ctx.results["plain_rate"] / tools
            ctx.results[key] = ratio
            rows.append(row(f"limit: curl fetch {len(uids)} + {limit}", f"{tools:.1f} msg/s",
                            note=f"fetch {fetch:.1f} s + submit {seconds:.1f} s; {loaded(ctx)}"))
            rows.append(row(f"bot / tools, plaintext, {ratio_figure}", f"{ratio:.0%}", ">= 80%",
                            verdict(ratio >= 0.8), note))

        smtp_source = ["smtp-source", "-d", "-s", "1", "-m", str(sent), "-l", str(size),
                       "-f", f"bot@{mailgen.DOMAIN}", "-t", f"discoverer@{mailgen.DOMAIN}",
                       f"127.0.0.1:{ctx.smtp_port}"]
        plain_limit(smtp_source, f"smtp-source {sent} x {size} B", "ratio_plain_smtp_source",
                    "smtp-source (one recipient)", "lighter work: Postfix resolves one address")
        # smtp-source -N numbers the recipients (1discoverer@, 2discoverer@...; the stack's
        # virtual_alias_maps takes them to discoverer): a new address for every message, as
        # Postfix has for the bot's replies. Its manual: "better approximating Postfix
        # performance under real-life work-loads".
        plain_limit(smtp_source[:1] + ["-N"] + smtp_source[1:], f"smtp-source -N {sent} x {size} B",
                    "ratio_plain_smtp_source_numbered", "smtp-source -N (a new recipient each)")
        # smtp-source sends one recipient again and again; the bot's replies go to as many
        # addresses as there were reports, and Postfix resolves each new one (trivial-rewrite,
        # the mailbox map). The same fetch plus curl submitting the bot's own replies, over one
        # connection, is the limit of exactly the bot's work.
        config, count = ctx.results.get("plain_replies", (None, 0))
        if count:
            plain_limit(["curl", "-sS", "--fail", "-K", config], f"curl submitting the bot's {count} replies",
                        "ratio_plain_same_replies", "the same replies", "the same bytes to the same recipients")
            # The bot's own SMTP client on the same replies, without fetching or processing:
            # how much of the catch-up is the sending itself.
            if ctx.smtp_bench and os.path.exists(ctx.smtp_bench):
                wait_delivered(ctx)
                done = subprocess.run([ctx.smtp_bench, f"smtp://127.0.0.1:{ctx.smtp_port}", config],
                                      check=True, capture_output=True, text=True)
                client = float(re.search(r"([0-9.]+) msg/s", done.stdout).group(1))
                ctx.results["smtp_client_rate"] = client
                rows.append(row(f"the bot's SMTP client alone, the same {count} replies (smtp_bench)",
                                f"{client:.1f} msg/s", note=f"{done.stdout.strip()}; {loaded(ctx)}"))
    files = sorted(glob.glob(os.path.join(ctx.work, "pgp", "*.asc")))
    if files and "pgp_rate" in ctx.results:
        wait_delivered(ctx)
        start = time.monotonic()
        good = 0
        for path in files:  # one at a time: the daemon runs one gpg at a time too
            done = subprocess.run(["gpg", "--homedir", ctx.gnupg_home, "--batch", "--status-fd", "1",
                                   "--decrypt", "--output", "/dev/null", "--yes", path], capture_output=True)
            good += b"GOODSIG" in done.stdout or b"VALIDSIG" in done.stdout
        seconds = time.monotonic() - start
        rate = len(files) / seconds
        ratio = ctx.results["pgp_rate"] / rate
        ctx.results["ratio_pgp"] = ratio
        rows.append(row(f"limit: gpg --decrypt (+verify) {len(files)} msgs, 1 at a time",
                        f"{rate:.1f} msg/s", note=f"{good} good signatures; {seconds:.1f} s; {loaded(ctx)}"))
        rows.append(row("bot / gpg, PGP/MIME", f"{ratio:.0%}", ">= 90%", verdict(ratio >= 0.9)))
    return rows


def memory(ctx):
    rows = []
    for key, what in (("peak_catch_up_plain", "plaintext catch-up"), ("peak_catch_up_pgp", "PGP/MIME catch-up")):
        if key in ctx.results:
            mib = ctx.results[key] / 1024
            rows.append(row(f"peak RSS, {what}", f"{mib:.1f} MiB", "< 64 MiB", verdict(mib < 64)))
    megabytes = ctx.counts["big_mb"]
    ctx.maildir.deliver(mailgen.big_attachment_report(900001, megabytes))
    ctx.index()
    seconds, sent, peak, note = run_catch_up(ctx, 1, 600)
    mib = peak / 1024
    rows.append(row(f"peak RSS, one message with a {megabytes} MB attachment", f"{mib:.1f} MiB", "< 64 MiB",
                    verdict(mib < 64), f"processed in {seconds:.1f} s (with start-up); {note}"))
    return rows


def submit(ctx, raw, sender):
    with smtplib.SMTP("127.0.0.1", ctx.smtp_port) as s:
        s.sendmail(f"{sender}@{mailgen.DOMAIN}", [f"bot@{mailgen.DOMAIN}"], raw)
    return time.monotonic()


def wait_for_reply(maildir_new, message_id, seen, timeout=60):
    """Until a message answering `message_id` lands in the recipient's Maildir (≈ its SMTP acceptance)."""
    needle = f"In-Reply-To: {message_id}".encode()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = time.monotonic()
        names = os.listdir(maildir_new) if os.path.isdir(maildir_new) else []
        for name in names:
            if name in seen:
                continue
            seen.add(name)
            try:
                with open(os.path.join(maildir_new, name), "rb") as f:
                    head = f.read(16384)
            except FileNotFoundError:
                continue
            if needle in head:
                return now
        time.sleep(0.01)
    raise RuntimeError(f"no reply to {message_id} after {timeout} s")


def measure_latency(ctx, label, idle):
    count = ctx.counts["latency"]
    config = os.path.join(ctx.bot_dir, f"latency-{label}.toml")
    ctx.write_config(config, idle=idle)
    ctx.start_daemon(config)
    time.sleep(3)  # past start-up and its first cycle
    maildir_new = os.path.join(ctx.env["MAILSTACK_DIR"], "mail", "discoverer2", "Maildir", "new")
    seen = set(os.listdir(maildir_new)) if os.path.isdir(maildir_new) else set()
    samples = []
    base = 200000 if idle else 300000
    for i in range(base, base + count):
        sender = f"discoverer2+{i}"  # one report per address: no reply limit applies
        start = submit(ctx, mailgen.plain_report(i, sender), sender)
        samples.append(wait_for_reply(maildir_new, mailgen.message_id("report", i), seen) - start)
        time.sleep((i % 7) / 7.0)  # spread the submissions over the poll interval
    note = loaded(ctx)
    ctx.stop_daemon()
    samples.sort()
    median = statistics.median(samples)
    p95 = samples[min(len(samples) - 1, int(round(0.95 * len(samples))) - 1)]
    target, ok = ("< 1 s (median)", median < 1.0) if idle else ("", None)
    return [row(f"latency report -> ack, {label} (median / p95 of {count})", f"{median * 1000:.0f} / {p95 * 1000:.0f} ms",
                target, "" if ok is None else verdict(ok), note)]


def latency(ctx):
    rows = measure_latency(ctx, "polling every 1 s", False)  # idle is on by default
    if ctx.idle_supported:
        rows += measure_latency(ctx, "IMAP IDLE", True)
    else:
        rows.append(row("latency with IMAP IDLE", "n/a", "< 1 s (median)", "not measured",
                        "this daemon's configuration has no [imap] idle yet"))
    return rows


def poll_cost(ctx):
    from wire_proxy import WireProxy, bursts

    total = ctx.counts["mailbox"]
    count, _ = ctx.index()
    print(f"bench: filling the mailbox from {count} to {total} messages", flush=True)
    for i in range(count, total):
        ctx.maildir.deliver(mailgen.filler(i), seen=True)
    count, uidnext = ctx.index()
    uidvalidity = imap_status(ctx.imap_port, "UIDVALIDITY")
    # The bot has processed everything up to here (only the catch-up's messages are in its
    # database; the fillers stand for mail processed long ago).
    con = sqlite3.connect(ctx.database)
    con.execute("INSERT OR REPLACE INTO mailbox_state (mailbox, uidvalidity, last_uid) VALUES ('INBOX', ?, ?)",
                (uidvalidity, uidnext - 1))
    con.commit()
    con.close()
    proxy = WireProxy(int(ctx.env["MAILSTACK_IMAP_PORT"]) + 1000, ctx.imap_port)
    config = os.path.join(ctx.bot_dir, "poll.toml")
    ctx.write_config(config, imap_url=f"imap://127.0.0.1:{proxy.port}")
    log_path = os.path.join(ctx.work, "cvdbot.log")
    log_start = os.path.getsize(log_path) if os.path.exists(log_path) else 0
    ctx.start_daemon(config)
    time.sleep(4)  # start-up, login and the first cycle
    proxy.take_events()
    time.sleep(6.5)
    empty = [b for b in bursts(proxy.take_events()) if b["bytes"]]
    note = loaded(ctx)
    # A poll that fetched anything was not an empty one: say what the daemon did instead
    # (a session-4 run once showed 13 MB "empty" polls that could not be explained afterwards).
    with open(log_path, "rb") as f:
        f.seek(log_start)
        said = f.read().decode(errors="replace")
    fetched = sum(int(n) for n in re.findall(r"cycle: fetched (\d+)", said))
    surprises = [ln for ln in said.splitlines() if "UIDVALIDITY" in ln or " error " in ln or " warn" in ln]
    if fetched or surprises:
        note += f"; NOT EMPTY: the daemon fetched {fetched} message(s) in this step"
        if surprises:
            note += f"; it said: {surprises[0][:200]}"
    before = ctx.db.processed_inbound()
    submit(ctx, mailgen.plain_report(400000, "discoverer2+400000"), "discoverer2+400000")
    wait_caught_up(ctx.db, ctx.daemon, before + 1, 60)
    time.sleep(1.5)
    busy = bursts(proxy.take_events())
    connections = proxy.connections
    ctx.stop_daemon()
    proxy.close()
    rows = []
    if empty:
        ms = statistics.median(b["seconds"] for b in empty) * 1000
        size = statistics.median(b["bytes"] for b in empty)
        server = statistics.median(b["server_seconds"] for b in empty) * 1000
        rows.append(row(f"poll, nothing new, {count} msgs in mailbox (median of {len(empty)})",
                        f"{ms:.1f} ms, {size:.0f} B", "< 20 ms, < 4 KB", verdict(ms < 20 and size < 4096),
                        f"on the wire (proxy), of which Dovecot answering {server:.1f} ms; "
                        f"{connections} connection(s) in the run; {note}"))
    # The cycle with the new message: its bursts (processing may pause the traffic) are those
    # bigger than an empty poll.
    empty_size = statistics.median(b["bytes"] for b in empty) if empty else 0
    busy = [b for b in busy if b["bytes"] > empty_size * 1.5]
    if busy:
        new = {k: sum(b[k] for b in busy) for k in ("seconds", "server_seconds", "bytes", "up", "down")}
        rows.append(row("poll cycle that finds 1 new message (fetch, process, flag)",
                        f"{new['seconds'] * 1000:.1f} ms, {new['bytes']} B", "", "",
                        f"up {new['up']} B, down {new['down']} B (message itself ~1 KB); "
                        f"Dovecot answering {new['server_seconds'] * 1000:.1f} ms"))
    return rows


def store(ctx, store_bench):
    n = ctx.counts["store"]
    path = os.path.join(ctx.work, "store-bench.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    out = subprocess.run([store_bench, path, str(n)], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        # "lookup <what> median_us p99_us" or "fill <seconds>"
        parts = line.split()
        if parts and parts[0] == "fill":
            rows.append(row(f"store: fill {n} messages in one transaction", f"{float(parts[1]):.1f} s"))
        elif parts and parts[0] == "lookup":
            median, p99, cpu_median, cpu_p99 = (float(x) for x in parts[2:6])
            rows.append(row(f"store: case by {parts[1]}, {n} msgs (median / p99)", f"{median:.1f} / {p99:.1f} us",
                            "< 1 ms", verdict(p99 < 1000),
                            f"CPU time median / p99 {cpu_median:.1f} / {cpu_p99:.1f} us; {loaded(ctx)}"))
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return rows


def machine():
    """The lines BENCHMARKS.md needs about the machine: cores, CPU, RAM, Debian, packages."""
    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
    ram = next((int(ln.split()[1]) for ln in open("/proc/meminfo") if ln.startswith("MemTotal")), 0)
    debian = open("/etc/debian_version").read().strip() if os.path.exists("/etc/debian_version") else "?"
    packages = subprocess.run(["dpkg-query", "-W", "-f", "${Package} ${Version}\n", "dovecot-core", "postfix",
                               "gpg", "libgpgme11", "libcurl4", "libsqlite3-0"],
                              capture_output=True, text=True).stdout.split("\n")
    return [f"machine: {os.cpu_count()} cores, {cpu}, {ram / 1048576:.1f} GiB RAM, Debian {debian}",
            "packages: " + ", ".join(p for p in packages if p)]


# The figures that vary most from run to run (the catch-ups and their limits share two cores
# with Dovecot and Postfix): over several rounds, each on a fresh stack, the median and range.
ROUND_FIGURES = (
    ("plain_rate", "catch-up plaintext", "{:.1f} msg/s", ""),
    ("ratio_plain_same_replies", "bot / tools, plaintext, the same replies (curl)", "{:.0%}", ">= 80%"),
    ("ratio_plain_smtp_source", "bot / tools, plaintext, smtp-source (one recipient)", "{:.0%}", ">= 80%"),
    ("ratio_plain_smtp_source_numbered", "bot / tools, plaintext, smtp-source -N", "{:.0%}", ">= 80%"),
    ("smtp_client_rate", "the bot's SMTP client alone, the same replies", "{:.1f} msg/s", ""),
    ("pgp_rate", "catch-up PGP/MIME", "{:.1f} msg/s", ""),
    ("ratio_pgp", "bot / gpg, PGP/MIME", "{:.0%}", ">= 90%"),
)


def round_rows(rounds):
    rows = []
    for key, figure, form, target in ROUND_FIGURES:
        values = sorted(r[key] for r in rounds if key in r)
        if not values:
            continue
        median = statistics.median(values)
        ok = ""
        if target:
            ok = verdict(median >= float(target.strip(">= %")) / 100)
        rows.append(row(f"{figure}, median of {len(values)} rounds", form.format(median), target, ok,
                        "runs: " + ", ".join(form.format(v) for v in values)))
    return rows


def print_table(rows, ctx):
    print()
    print("| figure | value | target | verdict | note |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['figure']} | {r['value']} | {r['target']} | {r['verdict']} | {r['note']} |")
    print()
    print(f"IMAP IDLE in this daemon: {'yes' if ctx.idle_supported else 'no (polling only)'}; "
          f"load average at start {ctx.load_note:.1f} on {ctx.cores} cores (LOADED: other work ran)")
    if os.environ.get("BENCH_DELIVER") == "1":
        print("catch-up replies: delivered by LMTP into Dovecot (BENCH_DELIVER=1)")
    else:
        print("catch-up replies: discarded by Postfix once accepted (BENCH_DELIVER=1 delivers them)")
    for line in machine():
        print(line)
