#!/usr/bin/env bash
# Sandbox benchmarks (issue 3). Results and the machine they ran on go in docs/benchmarks.md.
#   bench/sandbox.sh            generation timings, then p95 of a transactions page at 100 requests/s
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/Sandbox.Benchmarks -v q -nologo > /dev/null
bench="dotnet bench/Sandbox.Benchmarks/bin/Release/net10.0/OpenBanking.Sandbox.Benchmarks.dll"

echo "--- tenant generation"
$bench generate

echo "--- GET /accounts/{id}/transactions (one page) on an account of ~100,000 transactions, 100 requests/s for 30 s"
target=$(mktemp -u)
setsid $bench serve "$target" > "$target.log" 2>&1 &
server=$!
trap 'kill -- -$server 2>/dev/null || true; rm -f "$target" "$target.log"' EXIT
for _ in $(seq 1 180); do [ -f "$target" ] && break; sleep 1; done
cat "$target.log"
$bench load "$target" 100 30
