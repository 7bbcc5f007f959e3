#!/usr/bin/env bash
# Install (if needed), configure and start a real Redmine 5 (Debian package, SQLite,
# thin) on 127.0.0.1 for ticketkit's integration tests.
#
# Usage: scripts/redmine/start.sh [PORT]      (default: $REDMINE_PORT or 3010)
#
# stdout (and $STATE_DIR/env, default /tmp/ticketkit-redmine/env), exactly:
#   REDMINE_URL=http://127.0.0.1:PORT
#   REDMINE_API_KEY=<admin key>
#   REDMINE_USER_API_KEY=<key of non-admin user "reporter">
#   REDMINE_PROJECT=demo
# e.g.  export $(scripts/redmine/start.sh)    or    set -a; . /tmp/ticketkit-redmine/env; set +a
# Progress goes to stderr. Idempotent: a second run is fast and prints the same keys.
# Must run as root. Stop with scripts/redmine/stop.sh.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$SCRIPT_DIR/lib.sh"

PORT="${1:-${REDMINE_PORT:-3010}}"
[[ "$PORT" =~ ^[0-9]+$ ]] || die "invalid port: $PORT"
URL="http://127.0.0.1:$PORT"
START_TIMEOUT="${REDMINE_START_TIMEOUT:-90}"
ADMIN_PASSWORD="${REDMINE_ADMIN_PASSWORD:-ticketkit-admin-pw}"
USER_PASSWORD="${REDMINE_USER_PASSWORD:-ticketkit-reporter-pw}"
PROJECT=demo

STARTED_BY_US=0

require_root
mkdir -p "$STATE_DIR"
chmod 0755 "$STATE_DIR"

pkgs_installed() {
  local p status
  for p in redmine redmine-sqlite thin; do
    status="$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)"
    [ "$status" = "install ok installed" ] || return 1
  done
}

install_packages() {
  if pkgs_installed; then
    log "packages redmine redmine-sqlite thin already installed"
    return 0
  fi
  local t0=$SECONDS
  log "installing redmine redmine-sqlite thin (Debian packages, SQLite) ..."
  debconf-set-selections <<'EOF'
redmine redmine/instances/default/database-type select sqlite3
redmine redmine/instances/default/dbconfig-install boolean true
redmine redmine/instances/default/default-language select en
EOF
  export DEBIAN_FRONTEND=noninteractive
  # Other jobs (e.g. the Request Tracker script) may hold the apt/dpkg locks:
  # wait for them instead of failing.
  local try
  for try in $(seq 1 60); do
    apt-get -o DPkg::Lock::Timeout=300 update -qq >&2 && break
    [ "$try" -lt 60 ] || die "apt-get update failed"
    log "apt-get update failed (lock held?), retrying in 5 s"
    sleep 5
  done
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    redmine redmine-sqlite thin >&2
  pkgs_installed || die "package installation failed"
  log "packages installed in $((SECONDS - t0)) s"
}

# Redmine's Gemfile only uses thin if it is in the bundle: a dpkg trigger
# regenerates /var/lib/redmine/Gemfile.lock, but if thin was installed after that
# (or the trigger did not run), thin is missing from it -> `bundle install --local`.
ensure_thin_in_bundle() {
  local lock=/var/lib/redmine/Gemfile.lock
  if [ -f "$lock" ] && grep -qE '^    thin \(' "$lock"; then
    return 0
  fi
  log "thin missing from $lock: regenerating it with bundle install --local"
  # Same steps as the package's postinst / dpkg trigger.
  rm -f "$lock"
  (cd "$REDMINE_DIR" && bundle install --local --quiet >&2) \
    || die "bundle install --local failed in $REDMINE_DIR"
  chown www-data:www-data "$lock"
  grep -qE '^    thin \(' "$lock" || die "thin still missing from $lock after bundle install --local"
}

start_thin() {
  local pid running_port code
  pid="$(running_pid)"
  if [ -n "$pid" ]; then
    running_port="$(cat "$PORT_FILE" 2>/dev/null || true)"
    [ "$running_port" = "$PORT" ] \
      || die "thin already running (pid $pid) on port ${running_port:-?}; run scripts/redmine/stop.sh first"
    log "thin already running (pid $pid) on port $PORT"
    return 0
  fi
  code="$(http_code "$URL/login")"
  [ "$code" = "000" ] || die "port $PORT is already in use by another process (HTTP $code, no PID file)"
  rm -f "$PID_FILE"
  log "starting thin on $URL (log: $LOG_FILE)"
  printf '\n==== %s start.sh: thin start on port %s\n' "$(date -Is)" "$PORT" >>"$LOG_FILE"
  (
    cd "$REDMINE_DIR"
    exec setsid setpriv --reuid=www-data --regid=www-data --init-groups \
      env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 \
      REDMINE_INSTANCE=default RAILS_ENV=production \
      bundle exec thin start -a 127.0.0.1 -p "$PORT" -e production -R config.ru
  ) >>"$LOG_FILE" 2>&1 </dev/null &
  echo $! >"$PID_FILE"
  STARTED_BY_US=1
  echo "$PORT" >"$PORT_FILE"
}

fail_start() {
  log "$1"
  log "---- last 40 lines of $LOG_FILE ----"
  tail -n 40 "$LOG_FILE" >&2 || true
  log "---- last 20 lines of /var/log/redmine/default/production.log ----"
  tail -n 20 /var/log/redmine/default/production.log >&2 2>/dev/null || true
  local pid
  pid="$(running_pid)"
  if [ "$STARTED_BY_US" = 1 ]; then
    if [ -n "$pid" ]; then
      log "stopping the thin started by this run (pid $pid)"
      kill -INT "$pid" 2>/dev/null || true
    fi
    rm -f "$PID_FILE" "$PORT_FILE"
  fi
  exit 1
}

# wait_for URL KEY EXPECTED: until GET answers EXPECTED ("any" = any HTTP answer).
wait_for() {
  local url="$1" key="$2" expected="$3" code=000
  while :; do
    code="$(http_code "$url" "$key")"
    if [ "$expected" = any ] && [ "$code" != 000 ]; then return 0; fi
    [ "$code" = "$expected" ] && return 0
    [ -n "$(running_pid)" ] || fail_start "thin exited while waiting for $url (last HTTP $code)"
    [ $((SECONDS - WAIT_START)) -lt "$START_TIMEOUT" ] \
      || fail_start "timeout after ${START_TIMEOUT}s waiting for GET $url -> $expected (last HTTP $code)"
    sleep 0.25
  done
}

# Keys saved by an earlier run still valid against this database?
saved_keys_valid() {
  [ -f "$ENV_FILE" ] || return 1
  ADMIN_KEY="$(sed -n 's/^REDMINE_API_KEY=//p' "$ENV_FILE")"
  USER_KEY="$(sed -n 's/^REDMINE_USER_API_KEY=//p' "$ENV_FILE")"
  [ -n "$ADMIN_KEY" ] && [ -n "$USER_KEY" ] || return 1
  [ "$(http_code "$URL/projects/ops.json" "$ADMIN_KEY")" = 200 ] || return 1
  [ "$(http_code "$URL/projects/$PROJECT.json" "$USER_KEY")" = 200 ] || return 1
  # login_required: an unauthenticated request must be refused
  [ "$(http_code "$URL/projects/$PROJECT.json")" = 401 ] || return 1
}

configure() {
  local t0=$SECONDS out
  log "configuring Redmine (rails runner configure.rb) ..."
  out="$(rails_runner "$SCRIPT_DIR/configure.rb" \
    TICKETKIT_ADMIN_PASSWORD="$ADMIN_PASSWORD" TICKETKIT_USER_PASSWORD="$USER_PASSWORD")" \
    || die "rails runner configure.rb failed"
  ADMIN_KEY="$(printf '%s\n' "$out" | sed -n 's/^TICKETKIT_ADMIN_API_KEY=//p')"
  USER_KEY="$(printf '%s\n' "$out" | sed -n 's/^TICKETKIT_USER_API_KEY=//p')"
  if [ -z "$ADMIN_KEY" ] || [ -z "$USER_KEY" ]; then die "configure.rb printed no API keys: $out"; fi
  log "configured in $((SECONDS - t0)) s"
}

T_START=$SECONDS
install_packages
ensure_thin_in_bundle
start_thin
WAIT_START=$SECONDS
wait_for "$URL/login" "" any
ADMIN_KEY="" USER_KEY=""
if saved_keys_valid; then
  log "configuration from $ENV_FILE still valid"
else
  configure
fi
wait_for "$URL/issues.json?limit=1" "$ADMIN_KEY" 200
[ "$(http_code "$URL/issues.json?project_id=$PROJECT&limit=1" "$USER_KEY")" = 200 ] \
  || fail_start "reporter key is not accepted by GET /issues.json?project_id=$PROJECT"

ENV_LINES="REDMINE_URL=$URL
REDMINE_API_KEY=$ADMIN_KEY
REDMINE_USER_API_KEY=$USER_KEY
REDMINE_PROJECT=$PROJECT"
(umask 077 && printf '%s\n' "$ENV_LINES" >"$ENV_FILE.tmp") && mv -f "$ENV_FILE.tmp" "$ENV_FILE"
log "Redmine ready at $URL (pid $(running_pid), $((SECONDS - T_START)) s); env written to $ENV_FILE"
printf '%s\n' "$ENV_LINES"
