#!/usr/bin/env bash
# Stop the RT server started by scripts/rt/start.sh: SIGTERM to the master (it stops its workers),
# wait up to ~15 s, then SIGKILL its whole process group. Safe when nothing is running.
set -euo pipefail

STATE_DIR="${RT_STATE_DIR:-/tmp/ticketkit-rt}"
PIDFILE="$STATE_DIR/rt.pid"

log() { echo "[rt/stop] $*" >&2; }

if [[ ! -f "$PIDFILE" ]]; then
  log "not running (no $PIDFILE)"
  exit 0
fi
pid=$(cat "$PIDFILE" 2>/dev/null || true)
if ! [[ "$pid" =~ ^[0-9]+$ ]] || ! kill -0 "$pid" 2>/dev/null; then
  log "not running (stale pid file)"
  rm -f "$PIDFILE"
  exit 0
fi
# Refuse to signal a recycled pid that is not rt-server.
if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'rt-server'; then
  log "pid $pid is not rt-server; removing stale pid file"
  rm -f "$PIDFILE"
  exit 0
fi

log "stopping rt-server (pid $pid)"
kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq 1 75); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
if kill -0 "$pid" 2>/dev/null; then
  log "still alive after SIGTERM; sending SIGKILL to process group $pid"
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
  sleep 0.5
fi
# Workers are in the master's process group (start.sh runs it under setsid); reap leftovers.
if pgrep -g "$pid" >/dev/null 2>&1; then
  kill -KILL -- "-$pid" 2>/dev/null || true
fi
rm -f "$PIDFILE"
log "stopped"
