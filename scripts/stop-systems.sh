#!/usr/bin/env bash
# Stops the systems scripts/start-systems.sh started.
cd "$(dirname "$0")/.."
for system in redmine rt; do
  [ -x "scripts/$system/stop.sh" ] && "scripts/$system/stop.sh" >/dev/null 2>&1
done
exit 0
