#!/usr/bin/env bash
# Quick end-to-end check of the RT server started by scripts/rt/start.sh (curl + python3 only).
# Creates one ticket in Support, exercises read/search/update/comment/correspond/history/auth and
# finally DELETEs it (status "deleted", invisible to searches). Exit status 0 = all good.
set -euo pipefail

ENVFILE="${RT_STATE_DIR:-/tmp/ticketkit-rt}/env"
if [[ -z "${RT_URL:-}" || -z "${RT_TOKEN:-}" ]]; then
  # shellcheck disable=SC1090
  source "$ENVFILE"
fi
B="$RT_URL/REST/2.0"
AUTH="Authorization: token $RT_TOKEN"
JSON="Content-Type: application/json"
fails=0
body=$(mktemp)
trap 'rm -f "$body"' EXIT

# call METHOD PATH [DATA] -> sets $code, body in $body
call() {
  local m="$1" p="$2"
  shift 2
  code=$(curl -s -o "$body" -w '%{http_code}' -X "$m" -H "$AUTH" -H "$JSON" "$B$p" "$@")
}
check() { # check DESCRIPTION EXPECTED_CODE [PYTHON_EXPR on d]
  local desc="$1" want="$2" expr="${3:-True}" ok
  ok=$(python3 -c "import json,sys; s=open(sys.argv[1]).read(); d=json.loads(s) if s.strip() else None; print(bool($expr))" "$body" 2>/dev/null || echo False)
  if [[ "$code" == "$want" && "$ok" == True ]]; then
    echo "ok   $desc ($code)"
  else
    echo "FAIL $desc: HTTP $code (want $want), check '$expr': $(head -c 400 "$body")"
    fails=$((fails + 1))
  fi
}

subj="smoke O'Brien $(date +%s%N)"
payload=$(python3 -c 'import json,sys; print(json.dumps({"Queue":"Support","Subject":sys.argv[1],"Content":"smoke body zebrafish","ContentType":"text/plain","Priority":10,"Requestor":"smoke@example.test"}))' "$subj")
call POST /ticket -d "$payload"
check "create" 201 'd["type"]=="ticket" and d["id"].isdigit()'
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$body")

call GET "/ticket/$id"
check "read" 200 'd["id"]=='"$id"' and d["Status"]=="new" and d["Priority"]=="10" and d["Queue"]["type"]=="queue" and d["Requestor"][0]["id"]=="smoke@example.test"'

# TicketSQL string escaping: backslash before \ and '.
# shellcheck disable=SC1003
esc=$(python3 -c 'import sys; print(sys.argv[1].replace("\\","\\\\").replace("'"'"'","\\'"'"'"))' "$subj")
call GET "/tickets" -G --data-urlencode "query=Queue='Support' AND Subject LIKE '$esc'" \
  --data-urlencode "fields=Subject,Status,Priority,Queue,Owner,Requestor" --data-urlencode "fields[Queue]=Name"
check "search Subject LIKE (quote escaped as \\')" 200 'd["total"]==1 and d["items"][0]["Queue"]["Name"]=="Support"'

call PUT "/ticket/$id" -d '{"Status":"open","Priority":50}'
check "update" 200 'any("Status changed" in m for m in d)'

call PUT "/ticket/$id" -d '{"Status":"bogus"}'
check "invalid status -> 200 + message" 200 'd==["Ticket '"$id"': Status '"'"'bogus'"'"' isn'"'"'t a valid status for this ticket."]'

call POST "/ticket/$id/comment" -d '{"Content":"smoke note","ContentType":"text/plain"}'
check "comment" 201 'd==["Comments added"]'
call POST "/ticket/$id/correspond" -d '{"Content":"smoke reply","ContentType":"text/plain"}'
check "correspond" 201 'd==["Correspondence added"]'

call GET "/ticket/$id/history" -G --data-urlencode "fields=Type,Field,OldValue,NewValue"
check "history" 200 '{"Create","Status","Set","Comment","Correspond"} <= {i["Type"] for i in d["items"]}'

call GET "/tickets" -G --data-urlencode "query=id=$id AND Content LIKE 'zebrafish'"
check "Content LIKE (full-text)" 200 'd["total"]==1'

code=$(curl -s -o "$body" -w '%{http_code}' -H "Authorization: token 1-1-00000000000000000000000000000000" "$B/ticket/$id")
check "wrong token -> 401" 401 'd=={"message":"Unauthorized"}'

call GET "/ticket/999999999"
check "missing ticket -> 404" 404 'd=={"message":"Not Found"}'

call DELETE "/ticket/$id"
check "delete (soft)" 204
call GET "/tickets" -G --data-urlencode "query=id=$id"
check "deleted ticket hidden from search" 200 'd["total"]==0'

if ((fails)); then
  echo "$fails check(s) failed"
  exit 1
fi
echo "all checks passed"
