#!/usr/bin/env bash
# A throwaway Dovecot (IMAP + LMTP) and Postfix (SMTP) mail stack on 127.0.0.1, for tests and
# demos. It never reads or touches /etc/dovecot or /etc/postfix configuration and never uses the
# system services: everything lives under the DIR given on the command line.
#
#   mailstack.sh install                 apt-get the packages (skipped when already installed)
#   mailstack.sh start DIR               fresh stack (mail from an earlier run is removed)
#   mailstack.sh stop DIR                stop what start started; idempotent
#   mailstack.sh stop-smtp|start-smtp DIR   only Postfix (simulate an SMTP outage)
#   mailstack.sh stop-imap|start-imap DIR   only Dovecot (IMAP and LMTP)
#   mailstack.sh status DIR              which parts are running
#   mailstack.sh no-idle|idle DIR        restart Dovecot without (with) the IDLE capability
#
# Domain example.test; users bot discoverer discoverer2 vendor vendor2 operator coordinator, all
# with password "secret". bot+anything@example.test is delivered to bot. Mail to other domains is
# refused. Ports: MAILSTACK_PORT_BASE (default 10000) + 25 (SMTP), + 143 (IMAP), + 24 (LMTP),
# + 26 (SMTP without the PIPELINING capability, for clients' fallback).
# DIR/env holds shell assignments (MAILSTACK_SMTP_URL, MAILSTACK_IMAP_URL, ...) for clients.
# Needs root: the Postfix master must run as root, and mail is stored as user nobody.
set -euo pipefail
# The daemons run as other users: whatever the caller's umask, they must be able to read and
# traverse what is created here (private files get explicit modes).
umask 022

readonly DOMAIN=example.test
readonly PASSWORD=secret
readonly USERS=(bot discoverer discoverer2 vendor vendor2 operator coordinator)
readonly PACKAGES=(dovecot-core dovecot-imapd dovecot-lmtpd postfix)
readonly MAIL_USER=nobody MAIL_GROUP=nogroup
readonly START_TIMEOUT_TENTHS=100 # 10 s for the ports to open
readonly STOP_TIMEOUT_TENTHS=100  # 10 s for processes to exit after SIGTERM, then SIGKILL

die() {
    echo "mailstack: $*" >&2
    exit 1
}

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
}

require_root() {
    [[ $EUID -eq 0 ]] || die "$1 needs root (the Postfix master runs as root)"
}

# --- install -------------------------------------------------------------------------------------

cmd_install() {
    local missing=() pkg
    for pkg in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' ||
            missing+=("$pkg")
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        echo "mailstack: ${PACKAGES[*]} already installed"
        return 0
    fi
    require_root install
    # Without the preseed, postfix asks which kind of mail system to configure.
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    local apt=(env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends)
    # An empty or stale package index is the usual reason for a first failure.
    "${apt[@]}" "${missing[@]}" || { apt-get update && "${apt[@]}" "${missing[@]}"; }
}

# --- layout --------------------------------------------------------------------------------------

# set_layout DIR: every path the stack uses. DIR must exist and be absolute.
set_layout() {
    D=$1
    LOG=$D/log
    DV_DIR=$D/dovecot
    DV_CONF=$DV_DIR/dovecot.conf
    PF_CONF=$D/postfix/etc
    PF_DATA=$D/postfix/data
    MAILHOME=$D/mail
    ENV_FILE=$D/env
    # Unix socket paths are limited to 107 bytes, and the longest socket names below base_dir
    # and the queue are ~35 bytes. A long DIR gets its sockets, pids and queue in /tmp, under a
    # name derived from DIR so that stop and start-* find it again; DIR/run points there.
    if [[ ${#D} -le 50 ]]; then
        RUN=$D/run
    else
        RUN=/tmp/mailstack-$(printf '%s' "$D" | sha1sum | cut -c1-12)
    fi
    DV_BASE=$RUN/dovecot
    PF_QUEUE=$RUN/postfix
}

# resolve_dir DIR [create]: absolute, symlink-free path of DIR.
resolve_dir() {
    local dir=$1
    [[ -n $dir ]] || usage
    if [[ ${2:-} == create ]]; then
        mkdir -p -- "$dir"
    elif [[ ! -d $dir ]]; then
        return 1
    fi
    (cd -- "$dir" && pwd -P)
}

load_ports() {
    if [[ -f $ENV_FILE ]]; then
        # Ports are fixed at start; start-* must not pick up a different MAILSTACK_PORT_BASE.
        SMTP_PORT=$(sed -n 's/^MAILSTACK_SMTP_PORT=//p' "$ENV_FILE")
        IMAP_PORT=$(sed -n 's/^MAILSTACK_IMAP_PORT=//p' "$ENV_FILE")
        LMTP_PORT=$(sed -n 's/^MAILSTACK_LMTP_PORT=//p' "$ENV_FILE")
        SMTP_NP_PORT=$(sed -n 's/^MAILSTACK_SMTP_NO_PIPELINING_PORT=//p' "$ENV_FILE")
    else
        die "$D/env not found: run '$0 start $D' first"
    fi
}

# The daemons' users (postfix, dovecot, nobody) must be able to reach DIR.
ensure_traversable() {
    local p=$1
    while [[ $p != / ]]; do
        p=$(dirname -- "$p")
        if [[ $(($(stat -c %#a -- "$p") & 1)) -eq 0 ]]; then
            echo "mailstack: adding o+x to $p so that the mail daemons can reach the stack" >&2
            chmod o+x -- "$p"
        fi
    done
}

# make_rundir: the socket directory may live in /tmp; never follow a planted symlink there.
make_rundir() {
    if [[ -L $RUN || (-e $RUN && ! -O $RUN) ]]; then
        die "$RUN exists but is not a directory owned by us; remove it"
    fi
    mkdir -p -- "$RUN" "$PF_QUEUE"
    chmod 755 -- "$RUN"
    [[ $RUN == "$D/run" ]] || ln -sfn -- "$RUN" "$D/run"
}

# --- processes -----------------------------------------------------------------------------------

# proc_field PID N: field N (>= 3) of /proc/PID/stat; fails when the process does not exist.
# The command name (field 2) may contain spaces and parentheses, so split after the last ')'.
proc_field() {
    local line fields
    read -r line 2>/dev/null <"/proc/$1/stat" || return 1
    read -r -a fields <<<"${line##*) }"
    printf '%s\n' "${fields[$2 - 3]}"
}

# alive PID: running and not a zombie (a zombie still answers kill -0).
alive() {
    local state
    state=$(proc_field "$1" 3) || return 1
    [[ $state != Z && $state != X ]]
}

# pidfile_pid FILE COMM: the live PID recorded in FILE whose command is COMM, else fails.
# The command check protects against a stale pid file naming a recycled PID.
pidfile_pid() {
    local pid comm
    [[ -f $1 ]] || return 1
    pid=$(tr -dc '0-9' <"$1")
    [[ -n $pid ]] && alive "$pid" || return 1
    comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 1
    [[ $comm == "$2" ]] || return 1
    echo "$pid"
}

# session_members SID: live processes of that session (the masters call setsid()). No forks per
# process: this runs in a polling loop.
session_members() {
    local stat line fields
    for stat in /proc/[0-9]*/stat; do
        read -r line 2>/dev/null <"$stat" || continue
        read -r -a fields <<<"${line##*) }"
        # fields[0] is the state (field 3), fields[3] the session (field 6).
        if [[ ${fields[3]} == "$1" && ${fields[0]} != [ZX] ]]; then
            stat=${stat#/proc/}
            echo "${stat%/stat}"
        fi
    done
}

# stop_master PIDFILE COMM: SIGTERM the master and its process group, wait for every process of
# its session. Signalling the group, not only the master, matters for Dovecot: its master alone
# waits ~1 s for idle children before exiting.
stop_master() {
    local pid sid pgid members i
    pid=$(pidfile_pid "$1" "$2") || {
        rm -f -- "$1"
        return 0
    }
    sid=$(proc_field "$pid" 6) || sid=
    pgid=$(proc_field "$pid" 5) || pgid=
    # Only a session or group the master leads is its own; never signal or wait for our caller's.
    [[ $sid == "$pid" ]] || sid=
    if [[ $pgid == "$pid" ]]; then
        kill -TERM -- "-$pid" 2>/dev/null || true
    else
        kill -TERM "$pid" 2>/dev/null || true
    fi
    for ((i = 0; i < STOP_TIMEOUT_TENTHS * 2; i++)); do
        members=
        [[ -z $sid ]] || members=$(session_members "$sid")
        if ! alive "$pid" && [[ -z $members ]]; then
            rm -f -- "$1"
            return 0
        fi
        sleep 0.05
    done
    echo "mailstack: $2 (pid $pid) did not exit after SIGTERM; sending SIGKILL" >&2
    # shellcheck disable=SC2086
    kill -KILL "$pid" $members 2>/dev/null || true
    for ((i = 0; i < 20; i++)); do
        alive "$pid" || break
        sleep 0.1
    done
    rm -f -- "$1"
}

# exec_clean CMD...: exec CMD with only descriptors 0-2. A daemon must not keep copies of its
# starter's other descriptors: a test's client sockets would then never close, and a pipe that a
# $(...) reads would never end. Call it in a subshell.
exec_clean() {
    local fd
    for fd in /proc/self/fd/*; do
        fd=${fd##*/}
        if [[ $fd -gt 2 ]]; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec "$@"
}

port_open() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_ports NAME LOGFILE PORT...: bounded wait for the listeners, log tail on failure.
wait_ports() {
    local name=$1 logfile=$2 port i
    shift 2
    for port in "$@"; do
        for ((i = 0; i < START_TIMEOUT_TENTHS * 2; i++)); do
            port_open "$port" && continue 2
            sleep 0.05
        done
        echo "mailstack: $name is not accepting connections on 127.0.0.1:$port after" \
            "$((START_TIMEOUT_TENTHS / 10)) s; last lines of $logfile:" >&2
        tail -n 25 -- "$logfile" >&2 2>/dev/null || true
        exit 1
    done
}

refuse_busy_port() {
    local port
    for port in "$@"; do
        if port_open "$port"; then
            die "127.0.0.1:$port is already in use; choose other ports with MAILSTACK_PORT_BASE"
        fi
    done
}

# --- configuration -------------------------------------------------------------------------------

write_dovecot_config() {
    local u mail_uid mail_gid
    mail_uid=$(id -u "$MAIL_USER")
    mail_gid=$(getent group "$MAIL_GROUP" | cut -d: -f3)
    : >"$DV_DIR/users"
    for u in "${USERS[@]}"; do
        echo "$u:{PLAIN}$PASSWORD" >>"$DV_DIR/users"
    done
    # The auth process reads it as the dovecot user.
    chgrp dovecot "$DV_DIR/users"
    chmod 640 "$DV_DIR/users"
    cat >"$DV_CONF" <<EOF
# Generated by mailstack.sh; never includes /etc/dovecot.
instance_name = mailstack-$(printf '%s' "$D" | sha1sum | cut -c1-8)
base_dir = $DV_BASE
state_dir = $DV_DIR/state
log_path = $LOG/dovecot.log
info_log_path = $LOG/dovecot.log
listen = 127.0.0.1
protocols = imap lmtp
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
# The LMTP recipient bot@example.test and the IMAP login bot are the same user.
auth_username_format = %Ln
# Tests try wrong passwords on purpose; the default 2 s delay only slows them down.
auth_failure_delay = 0
recipient_delimiter = +
lmtp_save_to_detail_mailbox = no
mail_location = maildir:~/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN $DV_DIR/users
}
# static, but a user exists only if the passdb knows it, so LMTP rejects unknown users too.
userdb {
  driver = static
  args = uid=$mail_uid gid=$mail_gid home=$MAILHOME/%n
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
}
# After a failed login, Dovecot's per-IP auth penalty delays every later login from 127.0.0.1
# (2, 4, 8, 15 s). The auth process cannot open this socket and so runs without penalties.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
# Written by no-idle / idle: an imap_capability without IDLE, to test the polling fallback.
!include_try $DV_DIR/capability.conf
EOF
}

write_postfix_config() {
    local u
    for u in "${USERS[@]}"; do
        echo "$u@$DOMAIN OK"
    done >"$PF_CONF/vmailbox"
    # smtp-source -N puts a sequence number before the recipient's local part (1user@, 2user@...)
    # so that Postfix resolves a new address for every message, as it does for the bot's replies
    # (bench/): such an address is that user's.
    # shellcheck disable=SC2016 # ${1} is the regexp map's, not the shell's
    printf '/^[0-9]+([a-z][a-z0-9]*@%s)$/ ${1}\n' "${DOMAIN//./\\.}" >"$PF_CONF/numbered"
    cat >"$PF_CONF/main.cf" <<EOF
# Generated by mailstack.sh.
compatibility_level = 3.6
queue_directory = $PF_QUEUE
data_directory = $PF_DATA
maillog_file = $LOG/postfix.log
maillog_file_prefixes = $LOG
myhostname = mailstack.$DOMAIN
mydomain = $DOMAIN
myorigin = \$mydomain
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
smtpd_recipient_restrictions = reject_unlisted_recipient
virtual_mailbox_domains = $DOMAIN
# texthash needs no postmap and has no .db to get out of date.
virtual_mailbox_maps = texthash:$PF_CONF/vmailbox
virtual_alias_maps = regexp:$PF_CONF/numbered
virtual_transport = lmtp:inet:127.0.0.1:$LMTP_PORT
recipient_delimiter = +
# Nothing leaves this host.
default_transport = error:mailstack delivers only to $DOMAIN
relay_transport = error:mailstack delivers only to $DOMAIN
local_transport = error:mailstack delivers only to $DOMAIN
alias_maps =
alias_database =
biff = no
message_size_limit = 52428800
# Tests provoke errors and outages: answer at once and retry deferred mail quickly.
smtpd_error_sleep_time = 0
smtpd_soft_error_limit = 1000
smtpd_hard_error_limit = 1000
in_flow_delay = 0
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
lmtp_connect_timeout = 5s
lmtp_destination_concurrency_limit = 1
EOF
    # chroot is off everywhere: the queue may live in /tmp and nothing is set up inside it.
    cat >"$PF_CONF/master.cf" <<EOF
# Generated by mailstack.sh.
127.0.0.1:$SMTP_PORT inet n - n - - smtpd
127.0.0.1:$SMTP_NP_PORT inet n - n - - smtpd -o smtpd_discard_ehlo_keywords=pipelining
pickup     unix  n - n 60   1 pickup
cleanup    unix  n - n -    0 cleanup
qmgr       unix  n - n 300  1 qmgr
rewrite    unix  - - n -    - trivial-rewrite
bounce     unix  - - n -    0 bounce
defer      unix  - - n -    0 bounce
trace      unix  - - n -    0 bounce
verify     unix  - - n -    1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n -    - proxymap
proxywrite unix  - - n -    1 proxymap
smtp       unix  - - n -    - smtp
relay      unix  - - n -    - smtp
showq      unix  n - n -    - showq
error      unix  - - n -    - error
retry      unix  - - n -    - error
discard    unix  - - n -    - discard
lmtp       unix  - - n -    - lmtp
anvil      unix  - - n -    1 anvil
scache     unix  - - n -    1 scache
postlog    unix-dgram n - n - 1 postlogd
EOF
    # Postfix re-reads (after sleeping) configuration whose mtime is not yet in the past.
    touch -d '-1 minute' "$PF_CONF/main.cf" "$PF_CONF/master.cf" "$PF_CONF/vmailbox" "$PF_CONF/numbered"
}

# --- start/stop ----------------------------------------------------------------------------------

dovecot_pidfile() { echo "$DV_BASE/master.pid"; }
postfix_pidfile() { echo "$PF_QUEUE/pid/master.pid"; }

start_dovecot() {
    make_rundir
    pidfile_pid "$(dovecot_pidfile)" dovecot >/dev/null && return 0
    refuse_busy_port "$IMAP_PORT" "$LMTP_PORT"
    # Dovecot keeps the inherited stderr open after daemonising: detach it, or a caller's $(...)
    # never ends.
    (exec_clean dovecot -c "$DV_CONF") </dev/null >>"$LOG/dovecot.stderr" 2>&1 || {
        tail -n 25 "$LOG/dovecot.stderr" "$LOG/dovecot.log" >&2 2>/dev/null || true
        die "dovecot failed to start"
    }
    wait_ports dovecot "$LOG/dovecot.log" "$IMAP_PORT" "$LMTP_PORT"
}

# The queue layout of postfix-files ($meta_directory). Creating it here and starting the master
# directly takes ~30 ms; "postfix start" spends over a second in its integrity checks.
make_queue() {
    local entry name owner mode
    for entry in active:postfix:700 bounce:postfix:700 corrupt:postfix:700 defer:postfix:700 \
        deferred:postfix:700 flush:postfix:700 hold:postfix:700 incoming:postfix:700 \
        private:postfix:700 saved:postfix:700 trace:postfix:700 maildrop:postfix:postdrop:730 \
        public:postfix:postdrop:710 pid:root:755; do
        name=${entry%%:*} mode=${entry##*:} owner=${entry#*:}
        owner=${owner%:*}
        mkdir -p -- "$PF_QUEUE/$name"
        chown -- "$owner" "$PF_QUEUE/$name"
        chmod -- "$mode" "$PF_QUEUE/$name"
    done
}

start_postfix() {
    make_rundir
    pidfile_pid "$(postfix_pidfile)" master >/dev/null && return 0
    refuse_busy_port "$SMTP_PORT" "$SMTP_NP_PORT"
    make_queue
    # What "postfix start" does after its checks: -w returns once the master is initialised.
    # POSTLOG_* (as the postfix command exports them) make the master write its early fatal
    # errors, before postlogd runs, to maillog_file; otherwise they would go to a missing syslog.
    (exec_clean env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin MAIL_CONFIG="$PF_CONF" \
        POSTLOG_SERVICE="$PF_QUEUE/public/postlog" POSTLOG_HOSTNAME="mailstack.$DOMAIN" \
        "$(postconf -h -c "$PF_CONF" daemon_directory)/master" -c "$PF_CONF" -w) \
        </dev/null >>"$LOG/postfix.stderr" 2>&1 || {
        tail -n 25 "$LOG/postfix.stderr" "$LOG/postfix.log" >&2 2>/dev/null || true
        die "postfix failed to start"
    }
    wait_ports postfix "$LOG/postfix.log" "$SMTP_PORT" "$SMTP_NP_PORT"
}

stop_dovecot() { stop_master "$(dovecot_pidfile)" dovecot; }
stop_postfix() { stop_master "$(postfix_pidfile)" master; }

write_env() {
    cat >"$ENV_FILE.tmp" <<EOF
MAILSTACK_DIR=$D
MAILSTACK_RUN_DIR=$RUN
MAILSTACK_DOMAIN=$DOMAIN
MAILSTACK_PASSWORD=$PASSWORD
MAILSTACK_USERS="${USERS[*]}"
MAILSTACK_SMTP_PORT=$SMTP_PORT
MAILSTACK_IMAP_PORT=$IMAP_PORT
MAILSTACK_LMTP_PORT=$LMTP_PORT
MAILSTACK_SMTP_NO_PIPELINING_PORT=$SMTP_NP_PORT
MAILSTACK_SMTP_URL=smtp://127.0.0.1:$SMTP_PORT
MAILSTACK_SMTP_NO_PIPELINING_URL=smtp://127.0.0.1:$SMTP_NP_PORT
MAILSTACK_IMAP_URL=imap://127.0.0.1:$IMAP_PORT
EOF
    mv -f -- "$ENV_FILE.tmp" "$ENV_FILE"
}

cmd_start() {
    require_root start
    { command -v dovecot && command -v postfix; } >/dev/null ||
        die "dovecot or postfix is not installed: run '$0 install'"
    local base=${MAILSTACK_PORT_BASE:-10000}
    [[ $base =~ ^[0-9]+$ && $base -ge 1 && $base -le 65000 ]] ||
        die "MAILSTACK_PORT_BASE must be a number from 1 to 65000, not '$base'"
    SMTP_PORT=$((base + 25)) IMAP_PORT=$((base + 143)) LMTP_PORT=$((base + 24))
    SMTP_NP_PORT=$((base + 26))

    local dir
    dir=$(resolve_dir "$1" create) || die "cannot create $1"
    set_layout "$dir"
    # start wipes what an earlier start made; refuse to do that to a directory that is not ours.
    if [[ ! -e $D/.mailstack && -n $(ls -A -- "$D") ]]; then
        die "$D is not empty and was not made by mailstack.sh; give an empty or new directory"
    fi
    touch "$D/.mailstack"
    stop_postfix
    stop_dovecot
    rm -rf -- "$LOG" "$DV_DIR" "$D/postfix" "$MAILHOME" "$ENV_FILE" "$D/run"
    [[ $RUN == "$D/run" ]] || rm -rf -- "$RUN"

    chmod 755 "$D"
    ensure_traversable "$D"
    mkdir -p "$LOG" "$DV_DIR" "$PF_CONF" "$MAILHOME" "$PF_DATA"
    # Postfix refuses a data_directory that is not its own.
    chown postfix: "$PF_DATA"
    chmod 700 "$PF_DATA"
    local u
    for u in "${USERS[@]}"; do
        mkdir -m 700 "$MAILHOME/$u"
        chown "$MAIL_USER:$MAIL_GROUP" "$MAILHOME/$u"
    done
    write_dovecot_config
    write_postfix_config
    write_env
    # A half-started stack would hold its ports and confuse the next start.
    trap 'if [[ $? -ne 0 ]]; then stop_postfix; stop_dovecot; fi' EXIT
    start_dovecot
    start_postfix
    trap - EXIT
    echo "mailstack: running in $D (SMTP $SMTP_PORT, IMAP $IMAP_PORT, LMTP $LMTP_PORT; env in $ENV_FILE)"
}

# with_existing DIR: layout of a started stack, or exit 0 for stop on a missing DIR.
with_existing() {
    local dir
    dir=$(resolve_dir "$1") || return 1
    set_layout "$dir"
}

cmd_stop() {
    with_existing "$1" || return 0
    stop_postfix
    stop_dovecot
    # The queue and sockets of a long DIR live in /tmp; do not leave them behind.
    if [[ $RUN != "$D/run" && -d $RUN && ! -L $RUN && -O $RUN ]]; then
        rm -rf -- "$RUN"
    fi
}

cmd_part() {
    local action=$1 part=$2
    with_existing "$3" || die "$3 does not exist: run '$0 start $3' first"
    load_ports
    case $action in
        stop) "stop_$part" ;;
        start)
            require_root "start-$part"
            start_"$part"
            # Mail deferred during an IMAP/LMTP outage goes out now rather than at the next retry.
            if [[ $part == dovecot ]] && pidfile_pid "$(postfix_pidfile)" master >/dev/null; then
                postfix -c "$PF_CONF" flush </dev/null >>"$LOG/postfix.stderr" 2>&1 || true
            fi
            ;;
    esac
}

# A server without IDLE (Dovecot 2.3's own list minus IDLE), for the polling fallback.
cmd_idle() {
    local wanted=$1
    with_existing "$2" || die "$2 does not exist: run '$0 start $2' first"
    load_ports
    require_root "$([[ $wanted == on ]] && echo idle || echo no-idle)"
    if [[ $wanted == on ]]; then
        : >"$DV_DIR/capability.conf"
    else
        echo "imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE SORT SORT=DISPLAY" \
            "THREAD=REFERENCES THREAD=REFS THREAD=ORDEREDSUBJECT MULTIAPPEND URL-PARTIAL CATENATE" \
            "UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH" \
            "ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY LITERAL+" \
            "NOTIFY SPECIAL-USE" >"$DV_DIR/capability.conf"
    fi
    stop_dovecot
    start_dovecot
}

cmd_status() {
    with_existing "$1" || die "$1 does not exist"
    local pid
    if pid=$(pidfile_pid "$(postfix_pidfile)" master); then echo "smtp: running (pid $pid)"; else echo "smtp: stopped"; fi
    if pid=$(pidfile_pid "$(dovecot_pidfile)" dovecot); then echo "imap: running (pid $pid)"; else echo "imap: stopped"; fi
}

main() {
    [[ $# -ge 1 ]] || usage
    local cmd=$1
    shift
    case $cmd in
        install) cmd_install ;;
        start) [[ $# -eq 1 ]] || usage; cmd_start "$1" ;;
        stop) [[ $# -eq 1 ]] || usage; cmd_stop "$1" ;;
        start-smtp) [[ $# -eq 1 ]] || usage; cmd_part start postfix "$1" ;;
        stop-smtp) [[ $# -eq 1 ]] || usage; cmd_part stop postfix "$1" ;;
        start-imap) [[ $# -eq 1 ]] || usage; cmd_part start dovecot "$1" ;;
        stop-imap) [[ $# -eq 1 ]] || usage; cmd_part stop dovecot "$1" ;;
        status) [[ $# -eq 1 ]] || usage; cmd_status "$1" ;;
        no-idle) [[ $# -eq 1 ]] || usage; cmd_idle off "$1" ;;
        idle) [[ $# -eq 1 ]] || usage; cmd_idle on "$1" ;;
        -h | --help | help) usage ;;
        *) usage ;;
    esac
}

main "$@"
