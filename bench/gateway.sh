#!/usr/bin/env bash
# Gateway overhead (issue 5): the same customer-token GET /aisp/accounts, in alternating rounds, against
#   (a) the Sandbox directly, (b) a bare YARP route (bench/BareProxy), (c) the full gateway
# with wrk from outside the processes. Target: (c) >= 80% of (b)'s throughput and < 1 ms more mean latency.
#   bench/gateway.sh [seconds-per-round] [rounds]     needs wrk and jq; uses 127.0.0.1:5101-5104
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
rounds=${2:-3}
connections=16
for tool in wrk jq curl; do command -v $tool > /dev/null || { echo "$tool is not installed"; exit 2; }; done
for project in src/Identity src/Sandbox src/Gateway bench/BareProxy; do dotnet build -c Release "$project" -v q -nologo > /dev/null; done

data=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done; rm -rf "$data"; }
trap cleanup EXIT
start() { # name dir dll port env...
  local name=$1 dir=$2 dll=$3 port=$4; shift 4
  mkdir -p "$data/$name"
  # exec: the background job's pid becomes the server's own, leading its own session, so cleanup can kill it.
  (cd "$dir" && exec env ASPNETCORE_URLS="http://127.0.0.1:$port" Database__DataDirectory="$data/$name" Logging__LogLevel__Default=Warning \
     "$@" setsid dotnet "bin/Release/net10.0/$dll" > "$data/$name.log" 2>&1 < /dev/null) &
  pids+=($!)
}
metadata=http://127.0.0.1:5101/.well-known/openid-configuration
start identity src/Identity OpenBanking.Identity.dll 5101 ASPNETCORE_ENVIRONMENT=Development Services__sandbox__http__0=http://127.0.0.1:5103
start sandbox src/Sandbox OpenBanking.Sandbox.dll 5103 ASPNETCORE_ENVIRONMENT=Production Sandbox__StaticOtpEnabled=true \
  Authentication__MetadataAddress=$metadata Services__identity__http__0=http://127.0.0.1:5101
# Rate limiting stays on, with a bucket no benchmark empties: its cost is measured, not its refusals.
start gateway src/Gateway OpenBanking.Gateway.dll 5102 ASPNETCORE_ENVIRONMENT=Production Authentication__MetadataAddress=$metadata \
  Services__sandbox__http__0=http://127.0.0.1:5103 Services__identity__http__0=http://127.0.0.1:5101 \
  Gateway__RateLimits__accounts__TokenLimit=10000000 Gateway__RateLimits__accounts__TokensPerSecond=10000000
start bare bench/BareProxy OpenBanking.BareProxy.dll 5104 ASPNETCORE_ENVIRONMENT=Production Destination=http://127.0.0.1:5103
# Each service listens only once its database is migrated, so a connection means ready.
for port in 5101 5102 5103 5104; do
  for _ in $(seq 1 90); do curl -s -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 1; done
done

# A customer token as a wallet gets one: consent, PAR with PKCE, non-browser approval, code exchange.
basic=(-u demo-wallet:demo-wallet-secret)
cc=$(curl -fsS "${basic[@]}" -d grant_type=client_credentials -d scope=accounts http://127.0.0.1:5101/connect/token | jq -r .access_token)
consent=$(curl -fsS -X POST http://127.0.0.1:5102/open-banking/v3.1/aisp/account-access-consents -H "Authorization: Bearer $cc" \
  -H 'Content-Type: application/json' -d '{"Data":{"Permissions":["ReadAccountsDetail","ReadBalances"]},"Risk":{}}' | jq -r .Data.ConsentId)
verifier=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
challenge=$(printf %s "$verifier" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=')
request_uri=$(curl -fsS "${basic[@]}" http://127.0.0.1:5101/connect/par -d response_type=code -d client_id=demo-wallet \
  -d redirect_uri=http://localhost:5005/callback -d 'scope=openid accounts' -d state=s -d code_challenge="$challenge" \
  -d code_challenge_method=S256 -d consent_id="$consent" | jq -r .request_uri)
redirect=$(curl -fsS "${basic[@]}" http://127.0.0.1:5101/sandbox/authorize -d client_id=demo-wallet --data-urlencode request_uri="$request_uri" \
  -d username=alice -d password=sandbox -d otp=123456 -d decision=approve | jq -r .redirect_uri)
code=$(sed -E 's/.*[?&]code=([^&]+).*/\1/' <<< "$redirect")
token=$(curl -fsS "${basic[@]}" http://127.0.0.1:5101/connect/token -d grant_type=authorization_code --data-urlencode code="$code" \
  -d redirect_uri=http://localhost:5005/callback -d code_verifier="$verifier" | jq -r .access_token)

script="$data/get.lua"
cat > "$script" <<LUA
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["x-fapi-interaction-id"] = "0b3b2d5e-0000-4000-8000-000000000001"
LUA
path=/open-banking/v3.1/aisp/accounts
declare -A url=([direct]=http://127.0.0.1:5103$path [bare]=http://127.0.0.1:5104$path [gateway]=http://127.0.0.1:5102$path)
for target in direct bare gateway; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "${url[$target]}")
  [ "$status" = 200 ] || { echo "$target answered $status, not 200"; exit 1; }
  wrk -t2 -c$connections -d5s -s "$script" "${url[$target]}" > /dev/null   # warm-up
done

echo "target,round,requests_per_s,mean_latency_ms,non2xx"
declare -A total_rps total_latency
for round in $(seq 1 "$rounds"); do
  for target in direct bare gateway; do
    out=$(wrk -t2 -c$connections -d"${seconds}s" -s "$script" --latency "${url[$target]}")
    rps=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
    latency=$(awk '/^    Latency/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' <<< "$out")
    non2xx=$(awk '/Non-2xx/ {print $5}' <<< "$out"); non2xx=${non2xx:-0}
    echo "$target,$round,$rps,$latency,$non2xx"
    total_rps[$target]=$(awk -v a="${total_rps[$target]:-0}" -v b="$rps" 'BEGIN {print a + b}')
    total_latency[$target]=$(awk -v a="${total_latency[$target]:-0}" -v b="$latency" 'BEGIN {print a + b}')
  done
done
awk -v g="${total_rps[gateway]}" -v b="${total_rps[bare]}" -v d="${total_rps[direct]}" -v gl="${total_latency[gateway]}" -v bl="${total_latency[bare]}" -v n="$rounds" \
  'BEGIN { printf "mean: direct %.0f req/s, bare YARP %.0f, gateway %.0f = %.1f%% of bare; gateway adds %.3f ms mean latency over bare\n", d/n, b/n, g/n, 100*g/b, (gl-bl)/n }'
sleep 2
recorded=$(sqlite3 "$data/gateway/gateway.db" 'select count(*) from ApiCalls' 2>/dev/null || echo "?")
echo "call log: $recorded rows written"
echo "gateway warnings and errors (first 5 kinds):"
grep -E '^(warn|fail|crit)' -A1 "$data/gateway.log" | grep -vE '^(warn|fail|crit|--)' | sed -E 's/[0-9a-f-]{36}//g' | sort | uniq -c | sort -rn | head -5 || true
