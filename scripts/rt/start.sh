#!/usr/bin/env bash
# Start a real Request Tracker 5 server (Debian package, SQLite) for integration tests.
#
#   scripts/rt/start.sh [PORT]        # PORT defaults to $RT_PORT or 3020
#   eval "$(scripts/rt/start.sh)"     # exports RT_URL, RT_TOKEN, RT_QUEUE
#
# Installs request-tracker5 + rt5-standalone + rt5-db-sqlite + dma if missing (needs root and the
# Debian archive), writes /etc/request-tracker5/RT_SiteConfig.d/99-ticketkit.pm, provisions queues
# Support and Sales, the root password and an auth token (provision.pl, run as www-data), starts
# rt-server on 127.0.0.1:PORT as www-data and waits until REST2 answers with the token.
#
# stdout: exactly RT_URL=..., RT_TOKEN=..., RT_QUEUE=Support (also written to $STATE_DIR/env).
# stderr: progress. Idempotent; a second run with the server up takes well under a second.
#
# Other state: $STATE_DIR/rt.pid, $STATE_DIR/rt.log, $STATE_DIR/token (root's token, reused while
# valid), $STATE_DIR/limited.env (an unprivileged user "ticketkit-limited" and its token, for 403s).
# Web/basic-auth login: root / $RT_ROOT_PASSWORD (default "ticketkit-root-pw").
set -euo pipefail

PORT="${1:-${RT_PORT:-3020}}"
if ! [[ "$PORT" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 [PORT]" >&2
  exit 2
fi
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE_DIR="${RT_STATE_DIR:-/tmp/ticketkit-rt}"
PIDFILE="$STATE_DIR/rt.pid"
LOGFILE="$STATE_DIR/rt.log"
ENVFILE="$STATE_DIR/env"
TOKENFILE="$STATE_DIR/token"
ROOT_PASSWORD="${RT_ROOT_PASSWORD:-ticketkit-root-pw}"
URL="http://127.0.0.1:$PORT"
ETC=/etc/request-tracker5
OVERRIDE="$ETC/RT_SiteConfig.d/99-ticketkit.pm"
RT_SERVER=/usr/share/request-tracker5/libexec/rt-server
PACKAGES=(request-tracker5 rt5-standalone rt5-db-sqlite dma)
START_TS=$(date +%s.%N)

log() { echo "[rt/start] $*" >&2; }
die() { echo "[rt/start] ERROR: $*" >&2; exit 1; }
elapsed() { awk -v s="$START_TS" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1fs", e - s }'; }

[[ $(id -u) -eq 0 ]] || die "must run as root (installs packages, writes $ETC, runs RT as www-data)"
mkdir -p "$STATE_DIR"
chmod 755 "$STATE_DIR"
# Serialise concurrent runs (e.g. several test processes calling start.sh at once).
exec 9>"$STATE_DIR/lock"
flock -w 600 9 || die "could not lock $STATE_DIR/lock"

# HTTP status of GET /REST/2.0/queues/all with a token ("000" if nothing answers).
probe() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 5 \
    -H "Authorization: token $1" "$URL/REST/2.0/queues/all" 2>/dev/null || true
}

server_pid() {
  local pid
  [[ -f "$PIDFILE" ]] || return 1
  pid=$(cat "$PIDFILE" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

emit() {
  local token="$1"
  printf 'RT_URL=%s\nRT_TOKEN=%s\nRT_QUEUE=%s\n' "$URL" "$token" "Support" >"$ENVFILE.tmp"
  mv "$ENVFILE.tmp" "$ENVFILE"
  chmod 644 "$ENVFILE"
  cat "$ENVFILE"
}

# Port of the running server (from its command line), if any.
running_port() {
  local pid
  pid=$(server_pid) || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | sed -n 's/.*--port \([0-9]*\).*/\1/p'
}

# Refuse early (before touching config or a running server) if PORT belongs to someone else.
port_open() { timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }
if [[ "$(running_port || true)" != "$PORT" ]] && port_open "$PORT"; then
  die "port $PORT is in use by something not started by this script"
fi

# --- 1. packages --------------------------------------------------------------------------------
missing=()
for p in "${PACKAGES[@]}"; do
  if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]]; then
    missing+=("$p")
  fi
done
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
  APTLOG="$STATE_DIR/apt.log"
  log "installing ${missing[*]} (non-interactive; log: $APTLOG) ..."
  debconf-set-selections <<EOF
request-tracker5 request-tracker5/dbconfig-install boolean true
request-tracker5 request-tracker5/database-type select sqlite3
request-tracker5 request-tracker5/initial-root-password password $ROOT_PASSWORD
request-tracker5 request-tracker5/rtname string ticketkit.test
request-tracker5 request-tracker5/organization string ticketkit.test
request-tracker5 request-tracker5/correspondaddress string rt@example.test
request-tracker5 request-tracker5/commentaddress string rt-comment@example.test
request-tracker5 request-tracker5/webbaseurl string $URL
request-tracker5 request-tracker5/webpath string /rt
request-tracker5 request-tracker5/handle-siteconfig-permissions boolean true
request-tracker5 request-tracker5/install-cronjobs boolean false
dma dma/mailname string example.test
dma dma/relayhost string
EOF
  export DEBIAN_FRONTEND=noninteractive
  apt_opts=(-o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
  # A fresh machine's package lists may be empty or stale: update once, retrying while another
  # apt run holds the lists lock.
  for i in 1 2 3 4 5 6 7 8 9 10; do
    if apt-get "${apt_opts[@]}" update >>"$APTLOG" 2>&1; then break; fi
    ((i < 10)) || { tail -n 30 "$APTLOG" >&2; die "apt-get update failed (log: $APTLOG)"; }
    log "apt-get update failed (lock?), retrying in 15s ..."
    sleep 15
  done
  for i in 1 2 3; do
    if apt-get "${apt_opts[@]}" install -y --no-install-recommends "${missing[@]}" >>"$APTLOG" 2>&1; then break; fi
    ((i < 3)) || { tail -n 30 "$APTLOG" >&2; die "apt-get install ${missing[*]} failed (log: $APTLOG)"; }
    log "apt-get install failed (lock?), retrying in 15s ..."
    sleep 15
  done
  log "installed ($(elapsed))"
fi
[[ -x "$RT_SERVER" ]] || die "$RT_SERVER missing after install"

# --- 2. configuration ---------------------------------------------------------------------------
# RT_SiteConfig.pm is installed 0600 root; RT (run as www-data) must read it.
chown root:www-data "$ETC/RT_SiteConfig.pm"
chmod 640 "$ETC/RT_SiteConfig.pm"

config_changed=0
new_config=$(cat <<EOF
# Written by ticketkit scripts/rt/start.sh -- overwritten on every start.
Set(\$WebPath, "");
Set(\$WebBaseURL, "$URL");
Set(\$WebDomain, "127.0.0.1");
Set(\$WebPort, $PORT);
# Every request checks the password/token with bcrypt: cost 4 instead of 12 (~28 ms vs ~240 ms).
Set(\$BcryptCost, 4);
# No real mail: failed sendmail runs would otherwise write errors into ticket history.
Set(\$MailCommand, "mbox");
# Content LIKE '...' searches (unindexed full-text search).
Set(%FullTextSearch, Enable => 1, Indexed => 0);
# Web UI: no referer/CSRF interstitials when opened via another host name or port forward.
Set(\$RestrictReferrer, 0);
# No syslog daemon here: log warnings to stderr (rt-server's stderr goes to \$STATE_DIR/rt.log).
Set(\$LogToSTDERR, "warning");
Set(\$LogToSyslog, undef);
1;
EOF
)
if [[ ! -f "$OVERRIDE" ]] || [[ "$(cat "$OVERRIDE")" != "$new_config" ]]; then
  log "writing $OVERRIDE"
  printf '%s\n' "$new_config" >"$OVERRIDE"
  config_changed=1
fi
chown root:www-data "$OVERRIDE"
chmod 640 "$OVERRIDE"

# --- 3. fast path: server up, config unchanged, stored token still works ------------------------
stored_token=""
[[ -s "$TOKENFILE" ]] && stored_token=$(cat "$TOKENFILE")
stored_limited=""
[[ -s "$STATE_DIR/limited.env" ]] && stored_limited=$(sed -n 's/^RT_LIMITED_TOKEN=//p' "$STATE_DIR/limited.env")
if ((config_changed == 0)) && pid=$(server_pid) && [[ -n "$stored_token" ]] \
  && [[ "$(probe "$stored_token")" == 200 ]]; then
  log "already running (pid $pid) at $URL ($(elapsed))"
  emit "$stored_token"
  exit 0
fi

# --- 4. stop a server started with another config/port ------------------------------------------
if pid=$(server_pid); then
  if ((config_changed)); then
    log "config changed: restarting RT (pid $pid)"
    "$HERE/stop.sh" >&2
  fi
fi

# --- 5. start the server (it boots while provision.pl runs) -------------------------------------
if pid=$(server_pid); then
  log "server already running (pid $pid)"
else
  log "starting rt-server on 127.0.0.1:$PORT (log: $LOGFILE)"
  : >"$LOGFILE"
  # Non-interactive bash: the background job is not a process-group leader, so setsid execs in
  # place and $! is rt-server's (master's) pid; it becomes leader of its own session/group.
  (cd / && exec setsid setpriv --reuid=www-data --regid=www-data --init-groups \
    "$RT_SERVER" --host 127.0.0.1 --port "$PORT" --max-workers 2 \
    </dev/null >>"$LOGFILE" 2>&1 9>&-) &
  echo $! >"$PIDFILE"
fi

# --- 6. provision (queues, password, token) as www-data -----------------------------------------
# BcryptCost is already in the config, so the password/token hashes use cost 4.
log "provisioning queues, root password and token ..."
prov_out=$(cd / && RT_ROOT_PASSWORD="$ROOT_PASSWORD" RT_TOKEN_CANDIDATE="$stored_token" \
  RT_LIMITED_CANDIDATE="$stored_limited" \
  setpriv --reuid=www-data --regid=www-data --init-groups \
  perl "$HERE/provision.pl") || die "provision.pl failed"
token=$(sed -n 's/^TOKEN=//p' <<<"$prov_out")
limited=$(sed -n 's/^LIMITED_TOKEN=//p' <<<"$prov_out")
[[ -n "$token" ]] || die "provision.pl printed no token"
printf '%s\n' "$token" >"$TOKENFILE"
printf 'RT_LIMITED_USER=ticketkit-limited\nRT_LIMITED_TOKEN=%s\n' "$limited" >"$STATE_DIR/limited.env"
log "provisioned ($(elapsed))"

# --- 7. wait until REST2 answers with the token --------------------------------------------------
deadline=$(($(date +%s) + ${RT_START_TIMEOUT:-90}))
code=000
while :; do
  code=$(probe "$token")
  [[ "$code" == 200 ]] && break
  if ! server_pid >/dev/null; then
    echo "----- tail $LOGFILE -----" >&2; tail -n 40 "$LOGFILE" >&2 || true
    die "rt-server exited before answering (last HTTP status $code)"
  fi
  if (($(date +%s) >= deadline)); then
    echo "----- tail $LOGFILE -----" >&2; tail -n 40 "$LOGFILE" >&2 || true
    die "RT did not answer 200 on $URL/REST/2.0/queues/all within ${RT_START_TIMEOUT:-90}s (last HTTP status $code)"
  fi
  sleep 0.3
done
# Warm both workers (each compiles the ticket code paths on its first request: ~0.5-1 s).
warm="$URL/REST/2.0/tickets?query=id%3D0&per_page=1&fields=Subject,Status,Queue,Owner,Requestor"
warm_pids=()
for _ in 1 2 3; do
  curl -s -o /dev/null --max-time 10 -H "Authorization: token $token" "$warm" &
  warm_pids+=($!)
done
wait "${warm_pids[@]}" || true
log "RT ready at $URL (pid $(cat "$PIDFILE"), $(elapsed))"
emit "$token"
