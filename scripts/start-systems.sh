#!/usr/bin/env bash
# Installs (first time, from Debian; as root) and starts the real ticket systems the live tests
# use, on 127.0.0.1: Redmine 5 (port 3010) and Request Tracker 5 (port 3020). Idempotent: a
# second run only checks they answer. Their connection values go to /tmp/ticketkit-*/env, where
# the tests read them. A system that does not start makes its tests fail (never skip).
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
for system in redmine rt; do
  if [ -x "scripts/$system/start.sh" ]; then
    echo "== starting $system" >&2
    if "scripts/$system/start.sh" >/dev/null; then
      echo "== $system is up" >&2
    else
      echo "== $system did NOT start: its tests will fail" >&2
      status=1
    fi
  fi
done
exit $status
