#!/usr/bin/env bash
# Domestic payments through the Sandbox (issue 7): idempotency keys, risk screening, ledger postings, settlement
# worker, SQLite. Results go in docs/benchmarks.md.
#   bench/payments.sh [rate] [seconds] [v3.1|v4.0] [domestic|vrp|international]   default 300 payments/s for 30 s of domestic payments through v3.1.11
# With "vrp" the payments are domestic VRPs (POST /domestic-vrps): one authorised VRP consent per paying account, so
# each payment also passes the control-parameter check (its per-consent lock and period sums); compare with domestic.
# With "international" the payments are international payments (POST /international-payments) to an IBAN abroad at an
# Indicative rate (quoted when debited), charges borne by the debtor, screened, posted in two currencies (issue 18:
# within 25 % of domestic).
# The server prepares rate × seconds authorised consents first (each payment needs its own), then the load process
# submits them open-loop at the fixed rate, repeats 200 of them (idempotency), waits for settlement and checks the
# ledger invariant through the internal endpoint.
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-300}
seconds=${2:-30}
version=${3:-v3.1}
kind=${4:-domestic}
dotnet build -c Release bench/Sandbox.Benchmarks -v q -nologo > /dev/null
dll=bench/Sandbox.Benchmarks/bin/Release/net10.0/OpenBanking.Sandbox.Benchmarks.dll

target=$(mktemp -u)
count=$(( rate * seconds + 1100 ))
( exec env setsid dotnet "$dll" payments-serve "$target" "$count" "$version" "$kind" > "$target.log" 2>&1 < /dev/null ) &
server=$!
# setsid makes the server the leader of its own group: the trap stops it and anything it started.
trap 'kill -- -$server 2>/dev/null || kill $server 2>/dev/null || true; for _ in $(seq 1 20); do kill -0 $server 2>/dev/null || break; sleep 0.5; done; kill -9 -- -$server 2>/dev/null || true; rm -f "$target" "$target.log"' EXIT
for _ in $(seq 1 900); do [ -f "$target" ] && break; kill -0 $server 2>/dev/null || break; sleep 1; done
cat "$target.log"
[ -f "$target" ] || { echo "the server did not get ready"; exit 1; }
collection=$(case "$kind" in vrp) echo domestic-vrps ;; international) echo international-payments ;; *) echo domestic-payments ;; esac)
echo "--- POST /open-banking/${version}/pisp/${collection} at ${rate}/s for ${seconds} s"
pid=$(pgrep -f "payments-serve $target" | head -1)
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
before=$(cpu)
dotnet "$dll" payments-load "$target" "$rate" "$seconds" "$pid"
echo "server CPU during the warm-up, the load, the replays, settlement and the ledger check: $(( ($(cpu) - before) / 100 )) core-seconds (this machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg))"
