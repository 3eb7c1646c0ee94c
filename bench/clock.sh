#!/usr/bin/env bash
# Advancing a busy tenant's test clock a year (issue 16). Results go in docs/benchmarks.md.
#   bench/clock.sh [daily] [weekly] [monthly] [scheduled]   default 20 of each
# Standing orders (every day, every week, every month) and scheduled payments spread over the year are made through
# the real APIs on a frozen clock; then one POST /sandbox/v1/clock {"Advance":"P1Y"} is timed, and what it executed and
# the ledger check are printed. Exit code 1 when the advance took 5 s or more.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/Sandbox.Benchmarks -v q -nologo > /dev/null
exec dotnet bench/Sandbox.Benchmarks/bin/Release/net10.0/OpenBanking.Sandbox.Benchmarks.dll clock-year "${1:-20}" "${2:-20}" "${3:-20}" "${4:-20}"
