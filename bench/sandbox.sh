#!/usr/bin/env bash
# Sandbox benchmarks (issues 3 and 13). Results and the machine they ran on go in docs/benchmarks.md.
#   bench/sandbox.sh                 generation timings, p95 of a transactions page at 100 requests/s, then the AIS reads
#   bench/sandbox.sh reads [seconds] only the AIS reads, v3.1.11 and v4.0: CPU per request and throughput at 16 connections (needs wrk, jq)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-all}
seconds=${2:-10}
dotnet build -c Release bench/Sandbox.Benchmarks -v q -nologo > /dev/null
bench="dotnet bench/Sandbox.Benchmarks/bin/Release/net10.0/OpenBanking.Sandbox.Benchmarks.dll"

if [ "$mode" = all ]; then
  echo "--- tenant generation"
  $bench generate
fi

target=$(mktemp -u)
# exec under setsid: the background job's pid is the server's own (its CPU is read from /proc), leading its own session.
setsid $bench serve "$target" > "$target.log" 2>&1 &
server=$!
trap 'kill -- -$server 2>/dev/null || true; rm -f "$target" "$target.log" "$target.lua"' EXIT
for _ in $(seq 1 180); do [ -f "$target" ] && break; sleep 1; done
cat "$target.log"

if [ "$mode" = all ]; then
  echo "--- GET /accounts/{id}/transactions (one page) on an account of ~100,000 transactions, 100 requests/s for 30 s"
  $bench load "$target" 100 30
fi

# AIS reads, closed loop at 16 connections (wrk), against the Sandbox directly: the server's CPU time (user + system,
# from /proc, so other processes on a shared machine do not inflate it) divided by the requests it answered.
# Each read through v3.1.11 and then its v4.0 twin (same consent, same account), so the two versions meet the same
# machine state; repeat the script to see the spread.
reads="accounts accounts_v4 balances balances_v4 transactions transactions_v4"
echo "--- AIS reads at 16 connections, ${seconds} s each after 5 s warm-ups of all six (v3.1.11 and v4.0) (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
printf 'wrk.method = "GET"\nwrk.headers["Authorization"] = "Bearer %s"\n' "$(jq -r .token "$target")" > "$target.lua"
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) * 1000 / hz}' "/proc/$server/stat"; }
# Every read warmed up before any is measured: the first measurement must not pay for JIT tiering or for the
# collection of the generator's garbage.
for read in $reads; do
  url=$(jq -r ".reads.$read" "$target")
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $(jq -r .token "$target")" "$url")
  [ "$status" = 200 ] || { echo "$read answered $status, not 200"; exit 1; }
  wrk -t2 -c16 -d5s -s "$target.lua" "$url" > /dev/null
done
echo "read,requests_per_s,non2xx,sandbox_cpu_ms_per_request,load_average"
for read in $reads; do
  url=$(jq -r ".reads.$read" "$target")
  before=$(cpu_ms)
  out=$(wrk -t2 -c16 -d"${seconds}s" -s "$target.lua" "$url")
  after=$(cpu_ms)
  requests=$(awk '/requests in/ {print $1}' <<< "$out")
  rps=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<< "$out"); non2xx=${non2xx:-0}
  echo "$read,$rps,$non2xx,$(awk -v a="$before" -v b="$after" -v n="$requests" 'BEGIN {printf "%.3f", (b - a) / n}'),$(cut -d' ' -f1 /proc/loadavg)"
done
