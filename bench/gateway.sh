#!/usr/bin/env bash
# Gateway overhead (issue 5): the same customer-token GET /aisp/accounts, in alternating rounds, against
#   (a) the Sandbox directly, (b) a bare YARP route (bench/BareProxy), (c) the full gateway
# with wrk from outside the processes. Target (issue 13): (c) >= 90% of (b)'s throughput; < 1 ms more mean latency.
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
declare -A pid_of
cpu_ms() { # CPU time (user + system) of a server so far, in ms
  awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) * 1000 / hz}' "/proc/${pid_of[$1]}/stat"
}
start() { # name dir dll port env...
  local name=$1 dir=$2 dll=$3 port=$4; shift 4
  mkdir -p "$data/$name"
  # exec: the background job's pid becomes the server's own, leading its own session, so cleanup can kill it.
  # Production demands a key that encrypts Data Protection keys at rest: a throw-away one per run.
  (cd "$dir" && exec env ASPNETCORE_URLS="http://127.0.0.1:$port" Database__DataDirectory="$data/$name" Logging__LogLevel__Default=Warning \
     DataProtection__KeyEncryptionKey="$(head -c 32 /dev/urandom | base64)" \
     "$@" setsid dotnet "bin/Release/net10.0/$dll" > "$data/$name.log" 2>&1 < /dev/null) &
  pids+=($!)
  pid_of[$name]=$!
}
metadata=http://127.0.0.1:5101/.well-known/openid-configuration
start identity src/Identity OpenBanking.Identity.dll 5101 ASPNETCORE_ENVIRONMENT=Development Services__sandbox__http__0=http://127.0.0.1:5103
start sandbox src/Sandbox OpenBanking.Sandbox.dll 5103 ASPNETCORE_ENVIRONMENT=Production Sandbox__StaticOtpEnabled=true \
  Authentication__MetadataAddress=$metadata Services__identity__http__0=http://127.0.0.1:5101
# Rate limiting stays on (per scope and per address), with buckets no benchmark empties: its cost is measured, not its refusals.
start gateway src/Gateway OpenBanking.Gateway.dll 5102 ASPNETCORE_ENVIRONMENT=Production Authentication__MetadataAddress=$metadata \
  Services__sandbox__http__0=http://127.0.0.1:5103 Services__identity__http__0=http://127.0.0.1:5101 \
  Gateway__RateLimits__accounts__TokenLimit=10000000 Gateway__RateLimits__accounts__TokensPerSecond=10000000 \
  Gateway__RateLimits__PerAddress__TokenLimit=10000000 Gateway__RateLimits__PerAddress__TokensPerPeriod=10000000 ${GATEWAY_EXTRA_ENV:-}
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
  wrk -t2 -c$connections -d10s -s "$script" "${url[$target]}" > /dev/null   # warm-up: JIT tiering and caches
done

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "target,round,requests_per_s,mean_latency_ms,non2xx,proxy_cpu_ms_per_request,sandbox_cpu_ms_per_request"
declare -A proxy_of=([direct]="" [bare]=bare [gateway]=gateway)
declare -A total_rps total_latency
for round in $(seq 1 "$rounds"); do
  for target in direct bare gateway; do
    proxy=${proxy_of[$target]}
    sandbox_before=$(cpu_ms sandbox); proxy_before=$([ -n "$proxy" ] && cpu_ms "$proxy" || echo 0)
    out=$(wrk -t2 -c$connections -d"${seconds}s" -s "$script" --latency "${url[$target]}")
    sandbox_after=$(cpu_ms sandbox); proxy_after=$([ -n "$proxy" ] && cpu_ms "$proxy" || echo 0)
    requests=$(awk '/requests in/ {print $1}' <<< "$out")
    rps=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
    latency=$(awk '/^    Latency/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' <<< "$out")
    non2xx=$(awk '/Non-2xx/ {print $5}' <<< "$out"); non2xx=${non2xx:-0}
    per_request() { awk -v a="$1" -v b="$2" -v n="$requests" 'BEGIN {printf "%.3f", (b - a) / n}'; }
    echo "$target,$round,$rps,$latency,$non2xx,$(per_request "$proxy_before" "$proxy_after"),$(per_request "$sandbox_before" "$sandbox_after")"
    [ "$non2xx" = 0 ] || echo "WARNING: $target answered $non2xx non-2xx responses: its figures are not comparable"
    total_rps[$target]=$(awk -v a="${total_rps[$target]:-0}" -v b="$rps" 'BEGIN {print a + b}')
    total_latency[$target]=$(awk -v a="${total_latency[$target]:-0}" -v b="$latency" 'BEGIN {print a + b}')
  done
done
awk -v g="${total_rps[gateway]}" -v b="${total_rps[bare]}" -v d="${total_rps[direct]}" -v gl="${total_latency[gateway]}" -v bl="${total_latency[bare]}" -v n="$rounds" \
  'BEGIN { printf "throughput (%d connections): direct %.0f req/s, bare YARP %.0f, gateway %.0f = %.1f%% of bare (saturated mean latency +%.3f ms)\n", '"$connections"', d/n, b/n, g/n, 100*g/b, (gl-bl)/n }'

# Added latency without queueing: one connection, one request at a time, alternating.
echo "target,round,mean_latency_ms_1_connection"
declare -A single
for round in $(seq 1 "$rounds"); do
  for target in direct bare gateway; do
    out=$(wrk -t1 -c1 -d"${seconds}s" -s "$script" "${url[$target]}")
    latency=$(awk '/^    Latency/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}' <<< "$out")
    echo "$target,$round,$latency"
    single[$target]=$(awk -v a="${single[$target]:-0}" -v b="$latency" 'BEGIN {print a + b}')
  done
done
awk -v g="${single[gateway]}" -v b="${single[bare]}" -v d="${single[direct]}" -v n="$rounds" \
  'BEGIN { printf "latency (1 connection): direct %.3f ms, bare YARP %.3f ms, gateway %.3f ms: the gateway adds %.3f ms over bare\n", d/n, b/n, g/n, (g-b)/n }'
sleep 2
recorded=$(sqlite3 "$data/gateway/gateway.db" 'select count(*) from ApiCalls' 2>/dev/null || echo "?")
echo "call log: $recorded rows written"
echo "gateway warnings and errors (first 5 kinds):"
grep -E '^(warn|fail|crit)' -A1 "$data/gateway.log" | grep -vE '^(warn|fail|crit|--)' | sed -E 's/[0-9a-f-]{36}//g' | sort | uniq -c | sort -rn | head -5 || true
