#!/usr/bin/env bash
# Stop the Redmine (thin) started by scripts/redmine/start.sh. Safe if not running.
# SIGINT first (thin stops at once; SIGTERM would wait for open connections),
# SIGKILL after REDMINE_STOP_TIMEOUT seconds (default 15).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$SCRIPT_DIR/lib.sh"

TIMEOUT="${REDMINE_STOP_TIMEOUT:-15}"
pid="$(running_pid)"
if [ -z "$pid" ]; then
  log "not running"
  rm -f "$PID_FILE" "$PORT_FILE"
  exit 0
fi

log "stopping thin (pid $pid) with SIGINT"
kill -INT "$pid" 2>/dev/null || true
deadline=$((SECONDS + TIMEOUT))
while alive "$pid" && [ "$SECONDS" -lt "$deadline" ]; do
  sleep 0.2
done
if alive "$pid"; then
  log "still running after ${TIMEOUT}s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  while alive "$pid"; do sleep 0.1; done
fi
rm -f "$PID_FILE" "$PORT_FILE"
log "stopped"
