#!/usr/bin/env bash
# One benchmark command against the alternatives (bench/README.md, "Compare"): installs what it
# needs, builds Release, runs every row of issue 8 with its baselines in the same run, and writes
# docs/BENCHMARKS.md and docs/benchmarks.json.
#
#   bench/compare.sh --quick    # about 4 minutes
#   bench/compare.sh            # the full run, under 20 minutes
#   bench/compare.sh --help     # every option
set -euo pipefail
cd "$(dirname "$0")/.."

# wrk and Debian's redis-server drive and serve the baselines; PostgreSQL's server and psql serve
# the private database (scripts/postgres.sh). Installed with apt-get when missing (needs root).
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v psql >/dev/null || missing+=(postgresql-client)
if ! command -v pg_config >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ -z "${PG_BIN:-}" ]; then
  missing+=(postgresql)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "bench/compare.sh needs ${missing[*]}: install them (apt-get install ${missing[*]}) or run as root" >&2
    exit 1
  fi
  echo "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  # The package starts a system redis on port 6379; the benchmark starts its own on a free port.
  if [[ " ${missing[*]} " == *" redis-server "* ]] && command -v service >/dev/null; then
    service redis-server stop >/dev/null 2>&1 || true
  fi
fi

# Building bench/Compare builds everything it starts: the API host, CheckBench, LedgerBench.
dotnet build bench/Compare -c Release -nologo -v quiet -clp:ErrorsOnly
exec dotnet run -c Release --no-build --project bench/Compare -- "$@"
