#!/usr/bin/env bash
# Runs every test of the solution: restore, build, test. This is the command the README gives and
# the one CI runs. Extra arguments go to `dotnet test` (for example: --filter "FullyQualifiedName~Http").
set -euo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp)
trap 'rm -f "$log"' EXIT

status=0
dotnet test BudgetActors.sln -c Release "$@" 2>&1 | tee "$log" || status=$?

# One closing line over all test projects, in the plain form CI reads.
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
        gsub(",", "")
        for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1) }
     }
     END { printf "tests: %d passed, %d failed\n", p, f }' "$log"
exit $status
