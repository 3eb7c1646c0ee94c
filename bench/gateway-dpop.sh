#!/usr/bin/env bash
# DPoP cost at the gateway (issue 19): the same client-token GET of an account-access consent through the full gateway,
# in alternating rounds, (a) as a Bearer token and (b) as a DPoP-bound token with a fresh proof per request (ES256,
# minted just before each round by bench/DpopBench, each used once: the gateway validates it and records its jti in
# its DpopProofs table). Goal: DPoP adds < 0.3 ms per request. Then the in-process cost per proof (bench/DpopBench micro).
#   bench/gateway-dpop.sh [seconds-per-round] [rounds]     needs wrk, jq, curl; uses 127.0.0.1:5121-5123
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
rounds=${2:-3}
connections=16
for tool in wrk jq curl; do command -v $tool > /dev/null || { echo "$tool is not installed"; exit 2; }; done
for project in src/Identity src/Sandbox src/Gateway bench/DpopBench; do dotnet build -c Release "$project" -v q -nologo > /dev/null; done
bench="dotnet bench/DpopBench/bin/Release/net10.0/OpenBanking.DpopBench.dll"

data=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done; rm -rf "$data"; }
trap cleanup EXIT
start() { # name dir dll port env...
  local name=$1 dir=$2 dll=$3 port=$4; shift 4
  mkdir -p "$data/$name"
  (cd "$dir" && exec env ASPNETCORE_URLS="http://127.0.0.1:$port" Database__DataDirectory="$data/$name" Logging__LogLevel__Default=Warning \
     DataProtection__KeyEncryptionKey="$(head -c 32 /dev/urandom | base64)" \
     "$@" setsid dotnet "bin/Release/net10.0/$dll" > "$data/$name.log" 2>&1 < /dev/null) &
  pids+=($!)
}
metadata=http://127.0.0.1:5121/.well-known/openid-configuration
start identity src/Identity OpenBanking.Identity.dll 5121 ASPNETCORE_ENVIRONMENT=Development Services__sandbox__http__0=http://127.0.0.1:5123
start sandbox src/Sandbox OpenBanking.Sandbox.dll 5123 ASPNETCORE_ENVIRONMENT=Production Authentication__MetadataAddress=$metadata \
  Services__identity__http__0=http://127.0.0.1:5121
start gateway src/Gateway OpenBanking.Gateway.dll 5122 ASPNETCORE_ENVIRONMENT=Production Authentication__MetadataAddress=$metadata \
  Services__sandbox__http__0=http://127.0.0.1:5123 Services__identity__http__0=http://127.0.0.1:5121 \
  Gateway__RateLimits__accounts__TokenLimit=10000000 Gateway__RateLimits__accounts__TokensPerSecond=10000000 \
  Gateway__RateLimits__PerAddress__TokenLimit=10000000 Gateway__RateLimits__PerAddress__TokensPerPeriod=10000000
for port in 5121 5122 5123; do
  for _ in $(seq 1 90); do curl -s -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 1; done
done

bearer=$(curl -fsS -u demo-wallet:demo-wallet-secret -d grant_type=client_credentials -d scope=accounts http://127.0.0.1:5121/connect/token | jq -r .access_token)
consent=$(curl -fsS -X POST http://127.0.0.1:5122/open-banking/v3.1/aisp/account-access-consents -H "Authorization: Bearer $bearer" \
  -H 'Content-Type: application/json' -d '{"Data":{"Permissions":["ReadAccountsDetail","ReadBalances"]},"Risk":{}}' | jq -r .Data.ConsentId)
url=http://127.0.0.1:5122/open-banking/v3.1/aisp/account-access-consents/$consent
mint() { $bench mint http://127.0.0.1:5121/connect/token demo-wallet:demo-wallet-secret "$url" "$1" "$data/dpop" || exit 1; }
mint 1
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: DPoP $(cat "$data/dpop/token")" -H "DPoP: $(head -1 "$data/dpop/proofs")" "$url")
[ "$status" = 200 ] || { echo "the DPoP call answered $status, not 200"; exit 1; }

cat > "$data/bearer.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $bearer"
LUA
# Each wrk thread takes every threads-th proof of the file, so no proof is sent twice (a reuse would be a 401 replay).
dpop_script() { # threads
  cat > "$data/dpop.lua" <<LUA
local made = 0
function setup(thread) thread:set("first", made); made = made + 1 end
function init(args)
  proofs = {}
  for line in io.lines("$data/dpop/proofs") do proofs[#proofs + 1] = line end
  next_proof = first
end
function request()
  next_proof = next_proof + $1
  return wrk.format("GET", nil, { ["Authorization"] = "DPoP $(cat "$data/dpop/token")", ["DPoP"] = proofs[(next_proof % #proofs) + 1] })
end
LUA
}
latency_of() { awk '/^    Latency/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}'; }
run() { # kind threads connections
  local kind=$1 threads=$2 conns=$3
  if [ "$kind" = dpop ]; then
    # Enough fresh proofs for the round, minted now (each is good for 60 s).
    mint $((seconds * 6000 * threads)); dpop_script "$threads"
  fi
  wrk -t"$threads" -c"$conns" -d"${seconds}s" -s "$data/$kind.lua" "$url"
}
run bearer 2 $connections > /dev/null; run dpop 2 $connections > /dev/null   # warm-up: JIT tiering and caches

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "kind,round,connections,requests_per_s,mean_latency_ms,non2xx"
declare -A rps_sum
for round in $(seq 1 "$rounds"); do
  for kind in bearer dpop; do
    for conns in 1 $connections; do
      threads=$([ "$conns" = 1 ] && echo 1 || echo 2)
      out=$(run "$kind" "$threads" "$conns")
      rps=$(awk '/Requests\/sec/ {print $2}' <<< "$out"); latency=$(latency_of <<< "$out")
      non2xx=$(awk '/Non-2xx/ {print $5}' <<< "$out"); non2xx=${non2xx:-0}
      echo "$kind,$round,$conns,$rps,$latency,$non2xx"
      [ "$non2xx" = 0 ] || echo "WARNING: $kind answered $non2xx non-2xx responses: its figures are not comparable"
      rps_sum[$kind$conns]=$(awk -v a="${rps_sum[$kind$conns]:-0}" -v b="$rps" 'BEGIN {print a + b}')
    done
  done
done
# One connection is a closed loop: the time per request is 1 / throughput (wrk's mean latency is kept in the table).
awk -v b1="${rps_sum[bearer1]}" -v d1="${rps_sum[dpop1]}" -v bt="${rps_sum[bearer$connections]}" -v dt="${rps_sum[dpop$connections]}" -v n="$rounds" \
  'BEGIN { printf "1 connection: bearer %.3f ms, DPoP %.3f ms per request: DPoP adds %.3f ms\n%d connections: bearer %.0f req/s, DPoP %.0f req/s (%.1f%%)\n", 1000*n/b1, 1000*n/d1, 1000*n/d1 - 1000*n/b1, '"$connections"', bt/n, dt/n, 100*dt/bt }'
echo "in process, per proof (validation + replay insert on SQLite WAL):"
$bench micro 20000
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
