#!/usr/bin/env bash
# Runs every test of the solution (unit and end to end) and ends with one line: "N passed, N failed, N skipped".
# Extra arguments go to `dotnet test` (e.g. ./test.sh --filter Name~Failover).
set -uo pipefail
cd "$(dirname "$0")"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test Infera.sln --configuration Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# One summary line per test assembly: "Passed!  - Failed: 0, Passed: 17, Skipped: 0, Total: 17, ..."
summaries=$(grep -E '^(Passed|Failed)!  - ' "$log" || true)
sum() { grep -oE "$1: +[0-9]+" <<<"$summaries" | awk '{ s += $2 } END { print s + 0 }'; }
passed=$(sum Passed); failed=$(sum Failed); skipped=$(sum Skipped)

if [[ $status -ne 0 && $failed -eq 0 ]]; then
  echo "dotnet test exited with $status before reporting failures (build error or crashed test host); see above." >&2
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
