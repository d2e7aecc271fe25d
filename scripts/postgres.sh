#!/usr/bin/env bash
# A private PostgreSQL server for tests and local runs: a new cluster in a temporary directory, on
# a free port, listening on 127.0.0.1 and a Unix socket in that directory, trusting local users.
# PostgreSQL refuses to run as root, so as root it runs as the 'postgres' user.
#
#   eval "$(scripts/postgres.sh start)"   # exports BUDGETACTORS_POSTGRES (Npgsql) and PGDIR
#   scripts/postgres.sh stop "$PGDIR"
#   scripts/postgres.sh pause "$PGDIR"    # stops the server, keeps its data (an outage)
#   scripts/postgres.sh resume "$PGDIR"   # starts it again on the same port
#
# Needs PostgreSQL's server binaries (Debian/Ubuntu: apt-get install postgresql); they are found
# with pg_config --bindir, or in /usr/lib/postgresql/*/bin, or in $PG_BIN.
set -euo pipefail

find_bin() {
  if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ]; then echo "$PG_BIN"; return; fi
  if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return; fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
  done
  echo "PostgreSQL server binaries (initdb, pg_ctl) not found: install them (apt-get install postgresql) or set PG_BIN" >&2
  exit 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 - <<'PY' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

start_server() {
  as_owner "$1/pg_ctl" -D "$2/data" -l "$2/server.log" -w -t 60 \
    -o "-p $3 -k $2 -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200" start >/dev/null \
    || { cat "$2/server.log" >&2; exit 1; }
}

case "${1:-}" in
  start)
    bin=$(find_bin)
    dir=$(mktemp -d /tmp/budget-actors-pg.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    port=$(free_port)
    echo "$port" >"$dir/port"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    start_server "$bin" "$dir" "$port"
    as_owner "$bin/createdb" -h "$dir" -p "$port" -U postgres budget_actors
    "$(dirname "$0")/sql/apply.sh" "host=$dir port=$port user=postgres dbname=budget_actors" >&2
    echo "export PGDIR='$dir'"
    echo "export BUDGETACTORS_POSTGRES='Host=127.0.0.1;Port=$port;Username=postgres;Database=budget_actors'"
    ;;
  stop)
    dir=${2:?usage: $0 stop <dir>}
    bin=$(find_bin)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  pause)
    dir=${2:?usage: $0 pause <dir>}
    as_owner "$(find_bin)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
    ;;
  resume)
    dir=${2:?usage: $0 resume <dir>}
    start_server "$(find_bin)" "$dir" "$(cat "$dir/port")"
    ;;
  *)
    echo "usage: $0 start | stop <dir> | pause <dir> | resume <dir>" >&2
    exit 2
    ;;
esac
