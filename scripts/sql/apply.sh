#!/usr/bin/env bash
# Applies the whole BudgetActors schema to a PostgreSQL database, in order. Safe to run again:
# every file creates only what is missing, widens columns that an older version created narrower
# (and only those), and replaces functions and Orleans' named queries.
#
#   scripts/sql/apply.sh "postgresql://user:password@host:5432/budget_actors"
#   scripts/sql/apply.sh "host=/tmp/pg port=5433 user=postgres dbname=budget_actors"
#
# Needs psql (Debian/Ubuntu: apt-get install postgresql-client).
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 <libpq connection string or URI>" >&2
  exit 2
fi
command -v psql >/dev/null || { echo "psql not found: install the PostgreSQL client (apt-get install postgresql-client)" >&2; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
for file in "$here"/[0-9][0-9]-*.sql; do
  PGOPTIONS="-c client_min_messages=warning" psql "$1" --quiet --no-psqlrc --set ON_ERROR_STOP=1 --single-transaction --file "$file" >/dev/null
  echo "applied $(basename "$file")"
done
