#!/usr/bin/env bash
# The one command for the benchmarks (see docs/BENCHMARKS.md): builds in Release, installs nginx if it is missing,
# runs the three parts (end to end, micro-benchmarks, connection scale) and writes docs/BENCHMARKS.md.
# BENCH_QUICK=1 bench/run.sh runs a reduced version for checking the harness and writes
# bench/.results/BENCHMARKS.quick.md instead. Raw results and process logs stay in bench/.results/.
# Extra arguments go to the benchmark program (e.g. `bench/run.sh` runs `all`; pass nothing else normally).
set -euo pipefail
cd "$(dirname "$0")/.."

# 10,000 node links need as many sockets in the silo and in the light agents' process.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [[ "$(ulimit -n)" != unlimited && "$(ulimit -n)" -lt 12000 ]]; then
  echo "note: the open-file limit is $(ulimit -n); the 10,000-link level may stop short (the report says where)" >&2
fi

if ! command -v nginx >/dev/null 2>&1; then
  echo "Installing nginx (for the client → nginx → backend comparison)..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y nginx >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y nginx >/dev/null 2>&1; } \
    || echo "nginx could not be installed; the report will show way B as skipped, with the reason." >&2
fi

echo "Building in Release..."
dotnet build src/Embedded/Infera.Embedded.csproj -c Release -nologo -v quiet
dotnet build bench/Infera.Bench/Infera.Bench.csproj -c Release -nologo -v quiet

exec dotnet bench/Infera.Bench/bin/Release/net10.0/Infera.Bench.dll all "$@"
