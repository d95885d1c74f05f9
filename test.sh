#!/usr/bin/env bash
# Runs every test of the solution (unit, integration and end to end) and ends with one line: "N passed, N failed, N skipped".
# Extra arguments go to `dotnet test` (e.g. ./test.sh --filter Name~Failover).
# The integration tests' PostgreSQL and RabbitMQ come from scripts/test-services.sh: it starts them on 127.0.0.1
# (installing the Debian packages if missing), or reuses INFERA_TEST_POSTGRES / INFERA_TEST_RABBITMQ when those are set
# and answer. What it started is stopped before the summary line.
set -uo pipefail
cd "$(dirname "$0")" || exit 1

log=$(mktemp)
started=()
stop_services() {
  if ((${#started[@]})); then
    scripts/test-services.sh stop "${started[@]}" || echo "Could not stop the test services (see above)." >&2
    started=()
  fi
}
trap 'stop_services; rm -f "$log"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! exports=$(scripts/test-services.sh start); then
  echo "The test services (PostgreSQL, RabbitMQ) did not start (see the line above); no tests were run." >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
eval "$exports"
read -ra started <<<"${INFERA_TEST_SERVICES_STARTED:-}"

dotnet test Infera.sln --configuration Release "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
stop_services # here, so that nothing is printed after the summary line

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
