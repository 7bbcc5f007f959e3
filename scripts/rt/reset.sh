#!/usr/bin/env bash
# Give tests a clean slate: set Status='deleted' on every ticket in queues Support and Sales
# (default; pass other queue names as arguments to choose).
#
#   scripts/rt/reset.sh [QUEUE ...]
#
# This is RT's own soft delete (what DELETE /REST/2.0/ticket/:id does), written straight into the
# SQLite database in one UPDATE (fast, no matter how many tickets), without transactions in the
# history. Deleted tickets vanish from every TicketSQL search that does not ask for
# Status='deleted' explicitly (so /tickets?query=Queue='Support' is empty afterwards), but
# GET /ticket/:id still answers 200 with "Status":"deleted"; ticket ids keep counting up.
# Users, queues, tokens stay. Safe while rt-server runs (runs as www-data, the DB owner).
#
# The RT tests reuse fixtures across runs: 260 paging tickets "tkpage-v1 #n" in Sales and the
# TicketSQL injection tickets "tkinj-v1 …" in Support are recreated after a reset (~30 s); the
# injection queues ("tk-inj …", "CF.{tk-inj}") and their tickets are not touched by this script.
set -euo pipefail

DB="${RT_DB:-/var/lib/dbconfig-common/sqlite3/request-tracker5/rtdb}"
[[ $(id -u) -eq 0 ]] || { echo "[rt/reset] ERROR: must run as root" >&2; exit 1; }
[[ -f "$DB" ]] || { echo "[rt/reset] ERROR: no RT database at $DB (run scripts/rt/start.sh)" >&2; exit 1; }
if (($# == 0)); then set -- Support Sales; fi

cd /
# shellcheck disable=SC2016 # Perl code, not shell
setpriv --reuid=www-data --regid=www-data --init-groups perl -MDBI -e '
  my $db = shift @ARGV;
  my $dbh = DBI->connect("dbi:SQLite:dbname=$db", "", "", { RaiseError => 1, AutoCommit => 1 });
  $dbh->sqlite_busy_timeout(30_000);
  my $ph = join ",", ("?") x @ARGV;
  my $n = $dbh->do(
    "UPDATE Tickets SET Status = ?, LastUpdated = datetime(?)
      WHERE Status <> ? AND Queue IN (SELECT id FROM Queues WHERE Name IN ($ph))",
    undef, "deleted", "now", "deleted", @ARGV);
  printf STDERR "[rt/reset] %d ticket(s) in %s marked deleted\n", $n, join(", ", @ARGV);
' "$DB" "$@"
