# shellcheck shell=bash disable=SC2034  # variables are used by the sourcing scripts
# Shared helpers for scripts/redmine/{start,stop,reset}.sh. Sourced, not executed.

REDMINE_DIR=/usr/share/redmine
STATE_DIR="${REDMINE_STATE_DIR:-/tmp/ticketkit-redmine}"
PID_FILE="$STATE_DIR/thin.pid"
PORT_FILE="$STATE_DIR/port"
LOG_FILE="$STATE_DIR/thin.log"
ENV_FILE="$STATE_DIR/env"

log() { printf '[redmine] %s\n' "$*" >&2; }
die() { printf '[redmine] ERROR: %s\n' "$*" >&2; exit 1; }

require_root() {
  [ "$(id -u)" -eq 0 ] || die "must run as root (installs packages, switches to www-data)"
}

# Run a command as www-data with the environment the Debian package expects,
# from the Redmine directory.
as_redmine() {
  (cd "$REDMINE_DIR" && setpriv --reuid=www-data --regid=www-data --init-groups \
    env -i PATH=/usr/local/bin:/usr/bin:/bin HOME=/tmp LANG=C.UTF-8 \
    REDMINE_INSTANCE=default RAILS_ENV=production "$@")
}

# rails runner with a script from this directory (copied to the state dir so
# www-data can read it regardless of the checkout's permissions).
rails_runner() {
  local script="$1"; shift
  mkdir -p "$STATE_DIR"
  install -m 0644 "$script" "$STATE_DIR/$(basename "$script")"
  as_redmine "$@" bundle exec rails runner "$STATE_DIR/$(basename "$script")"
}

# Is PID alive? (A zombie - exited but not yet reaped by its parent - is not.)
alive() {
  local state
  kill -0 "$1" 2>/dev/null || return 1
  state="$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null || true)"
  [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# PID of the running thin (from the PID file), or empty.
running_pid() {
  local pid
  [ -f "$PID_FILE" ] || return 0
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  # Guard against a stale PID file whose PID was reused by something else.
  if [ -n "$pid" ] && alive "$pid" \
     && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'thin'; then
    echo "$pid"
  fi
}

# HTTP status code of GET $1 with optional API key $2 ("000" if no answer).
http_code() {
  local url="$1" key="${2:-}"
  if [ -n "$key" ]; then
    curl -s -o /dev/null -m 5 -w '%{http_code}' -H "X-Redmine-API-Key: $key" "$url" || true
  else
    curl -s -o /dev/null -m 5 -w '%{http_code}' "$url" || true
  fi
}
