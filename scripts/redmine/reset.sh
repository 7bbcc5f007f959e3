#!/usr/bin/env bash
# Delete all issues (and so their journals) in the ticketkit test projects
# (demo, ops) so integration tests start from a clean slate. Projects, users and
# API keys are kept. NOTE: issue ids are reused afterwards (SQLite rowids: an
# emptied issues table starts again at id 1) - tests must not assume fresh ids.
#
# If the server started by start.sh answers, issues are deleted through the REST
# API with the admin key (~0.1 s per issue); otherwise (or with --runner) via
# `rails runner reset.rb` (~5 s, works with the server stopped).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$SCRIPT_DIR/lib.sh"

t0=$SECONDS
PROJECTS=(demo ops)

reset_via_api() {
  local url key project body ids id code n=0
  [ -f "$ENV_FILE" ] || return 1
  url="$(sed -n 's/^REDMINE_URL=//p' "$ENV_FILE")"
  key="$(sed -n 's/^REDMINE_API_KEY=//p' "$ENV_FILE")"
  [ -n "$url" ] && [ -n "$key" ] || return 1
  [ "$(http_code "$url/issues.json?limit=1" "$key")" = 200 ] || return 1
  for project in "${PROJECTS[@]}"; do
    while :; do
      body="$(curl -sf -m 10 -H "X-Redmine-API-Key: $key" \
        "$url/issues.json?project_id=$project&status_id=*&sort=id:desc&limit=100")" || return 1
      # Each issue object starts with {"id":N,"project":
      ids="$(printf '%s' "$body" | grep -o '{"id":[0-9]*,"project"' | grep -o '[0-9][0-9]*' || true)"
      [ -n "$ids" ] || break
      for id in $ids; do
        code="$(curl -s -o /dev/null -m 10 -w '%{http_code}' -X DELETE \
          -H "X-Redmine-API-Key: $key" "$url/issues/$id.json" || true)"
        case "$code" in
          204|200) n=$((n + 1)) ;;
          404) ;; # subtask already deleted with its parent
          *) log "DELETE /issues/$id.json -> HTTP $code"; return 1 ;;
        esac
      done
    done
  done
  log "deleted $n issue(s) in projects ${PROJECTS[*]} via REST API in $((SECONDS - t0)) s"
}

reset_via_runner() {
  local out n
  require_root
  [ -d "$REDMINE_DIR" ] || die "Redmine is not installed; run scripts/redmine/start.sh first"
  out="$(rails_runner "$SCRIPT_DIR/reset.rb")" || die "rails runner reset.rb failed"
  n="$(printf '%s\n' "$out" | sed -n 's/^TICKETKIT_DELETED=//p')"
  [ -n "$n" ] || die "reset.rb printed no result: $out"
  log "deleted $n issue(s) in projects ${PROJECTS[*]} via rails runner in $((SECONDS - t0)) s"
}

if [ "${1:-}" = "--runner" ]; then
  reset_via_runner
elif ! reset_via_api; then
  log "REST API not usable (server not running?): falling back to rails runner"
  reset_via_runner
fi
