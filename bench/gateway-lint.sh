#!/usr/bin/env bash
# Spec lint's cost at the gateway (issue 20): the same customer-token GET /aisp/accounts, in alternating rounds, through
#   (a) a gateway with spec lint off and (b) one with spec lint on and unsampled (MaxPerSecond very high, so every call
# is linted: the worst case; the default samples above 200 calls/s), both in front of the same Sandbox, with wrk from
# outside the processes. Lint runs after the call log's write, off the request path: throughput and latency should not
# move (goal: (b) >= 97% of (a)'s throughput, < 0.1 ms more mean latency on one connection). Prints both figures, then
# how many calls (b) linted, left unlinted, and its lint problems.
#   bench/gateway-lint.sh [seconds-per-round] [rounds]     needs wrk, jq, curl (sqlite3 for the counts); uses 127.0.0.1:5131-5134
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
rounds=${2:-3}
connections=16
for tool in wrk jq curl; do command -v $tool > /dev/null || { echo "$tool is not installed"; exit 2; }; done
for project in src/Identity src/Sandbox src/Gateway; do dotnet build -c Release "$project" -v q -nologo > /dev/null; done

data=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill -- -"$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done; rm -rf "$data"; }
trap cleanup EXIT
start() { # name dir dll port env...
  local name=$1 dir=$2 dll=$3 port=$4; shift 4
  mkdir -p "$data/$name"
  # exec: the background job's pid becomes the server's own, leading its own session, so cleanup can kill it.
  (cd "$dir" && exec env ASPNETCORE_URLS="http://127.0.0.1:$port" Database__DataDirectory="$data/$name" Logging__LogLevel__Default=Warning \
     DataProtection__KeyEncryptionKey="$(head -c 32 /dev/urandom | base64)" \
     "$@" setsid dotnet "bin/Release/net10.0/$dll" > "$data/$name.log" 2>&1 < /dev/null) &
  pids+=($!)
}
metadata=http://127.0.0.1:5131/.well-known/openid-configuration
start identity src/Identity OpenBanking.Identity.dll 5131 ASPNETCORE_ENVIRONMENT=Development Services__sandbox__http__0=http://127.0.0.1:5133
start sandbox src/Sandbox OpenBanking.Sandbox.dll 5133 ASPNETCORE_ENVIRONMENT=Production Sandbox__StaticOtpEnabled=true \
  Authentication__MetadataAddress=$metadata Services__identity__http__0=http://127.0.0.1:5131
# Rate limiting stays on, with buckets no benchmark empties. The two gateways differ only in Gateway:SpecLint.
gateway_env=(ASPNETCORE_ENVIRONMENT=Production Authentication__MetadataAddress=$metadata
  Services__sandbox__http__0=http://127.0.0.1:5133 Services__identity__http__0=http://127.0.0.1:5131
  Gateway__RateLimits__accounts__TokenLimit=10000000 Gateway__RateLimits__accounts__TokensPerSecond=10000000
  Gateway__RateLimits__PerAddress__TokenLimit=10000000 Gateway__RateLimits__PerAddress__TokensPerPeriod=10000000)
start lint-off src/Gateway OpenBanking.Gateway.dll 5132 "${gateway_env[@]}" Gateway__SpecLint__Enabled=false
start lint-on src/Gateway OpenBanking.Gateway.dll 5134 "${gateway_env[@]}" Gateway__SpecLint__Enabled=true \
  Gateway__SpecLint__MaxPerSecond=10000000 Gateway__SpecLint__QueueCapacity=1000000
# Each service listens only once its database is migrated, so a connection means ready.
for port in 5131 5132 5133 5134; do
  for _ in $(seq 1 90); do curl -s -o /dev/null "http://127.0.0.1:$port/health" && break; sleep 1; done
done

# A customer token as a wallet gets one: consent, PAR with PKCE, non-browser approval, code exchange.
basic=(-u demo-wallet:demo-wallet-secret)
cc=$(curl -fsS "${basic[@]}" -d grant_type=client_credentials -d scope=accounts http://127.0.0.1:5131/connect/token | jq -r .access_token)
consent=$(curl -fsS -X POST http://127.0.0.1:5132/open-banking/v3.1/aisp/account-access-consents -H "Authorization: Bearer $cc" \
  -H 'Content-Type: application/json' -d '{"Data":{"Permissions":["ReadAccountsDetail","ReadBalances"]},"Risk":{}}' | jq -r .Data.ConsentId)
verifier=$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
challenge=$(printf %s "$verifier" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=')
request_uri=$(curl -fsS "${basic[@]}" http://127.0.0.1:5131/connect/par -d response_type=code -d client_id=demo-wallet \
  -d redirect_uri=http://localhost:5005/callback -d 'scope=openid accounts' -d state=s -d code_challenge="$challenge" \
  -d code_challenge_method=S256 -d consent_id="$consent" | jq -r .request_uri)
redirect=$(curl -fsS "${basic[@]}" http://127.0.0.1:5131/sandbox/authorize -d client_id=demo-wallet --data-urlencode request_uri="$request_uri" \
  -d username=alice -d password=sandbox -d otp=123456 -d decision=approve | jq -r .redirect_uri)
code=$(sed -E 's/.*[?&]code=([^&]+).*/\1/' <<< "$redirect")
token=$(curl -fsS "${basic[@]}" http://127.0.0.1:5131/connect/token -d grant_type=authorization_code --data-urlencode code="$code" \
  -d redirect_uri=http://localhost:5005/callback -d code_verifier="$verifier" | jq -r .access_token)

script="$data/get.lua"
cat > "$script" <<LUA
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["x-fapi-interaction-id"] = "0b3b2d5e-0000-4000-8000-000000000001"
LUA
path=/open-banking/v3.1/aisp/accounts
declare -A url=([off]=http://127.0.0.1:5132$path [on]=http://127.0.0.1:5134$path)
for target in off on; do
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "${url[$target]}")
  [ "$status" = 200 ] || { echo "lint-$target answered $status, not 200"; exit 1; }
  wrk -t2 -c$connections -d10s -s "$script" "${url[$target]}" > /dev/null   # warm-up: JIT tiering and caches
done

latency_of() { awk '/^    Latency/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; print v}'; }
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "lint,round,requests_per_s,mean_latency_ms,non2xx"
declare -A total_rps total_latency
for round in $(seq 1 "$rounds"); do
  for target in off on; do
    out=$(wrk -t2 -c$connections -d"${seconds}s" -s "$script" --latency "${url[$target]}")
    rps=$(awk '/Requests\/sec/ {print $2}' <<< "$out")
    latency=$(latency_of <<< "$out")
    non2xx=$(awk '/Non-2xx/ {print $5}' <<< "$out"); non2xx=${non2xx:-0}
    echo "$target,$round,$rps,$latency,$non2xx"
    [ "$non2xx" = 0 ] || echo "WARNING: lint-$target answered $non2xx non-2xx responses: its figures are not comparable"
    total_rps[$target]=$(awk -v a="${total_rps[$target]:-0}" -v b="$rps" 'BEGIN {print a + b}')
    total_latency[$target]=$(awk -v a="${total_latency[$target]:-0}" -v b="$latency" 'BEGIN {print a + b}')
  done
done
awk -v on="${total_rps[on]}" -v off="${total_rps[off]}" -v lon="${total_latency[on]}" -v loff="${total_latency[off]}" -v n="$rounds" \
  'BEGIN { printf "throughput ('"$connections"' connections): lint off %.0f req/s, lint on %.0f req/s = %.1f%% (saturated mean latency %+.3f ms)\n", off/n, on/n, 100*on/off, (lon-loff)/n }'

# Added latency without queueing: one connection, one request at a time, alternating.
echo "lint,round,mean_latency_ms_1_connection"
declare -A single
for round in $(seq 1 "$rounds"); do
  for target in off on; do
    latency=$(wrk -t1 -c1 -d"${seconds}s" -s "$script" "${url[$target]}" | latency_of)
    echo "$target,$round,$latency"
    single[$target]=$(awk -v a="${single[$target]:-0}" -v b="$latency" 'BEGIN {print a + b}')
  done
done
awk -v on="${single[on]}" -v off="${single[off]}" -v n="$rounds" \
  'BEGIN { printf "latency (1 connection): lint off %.3f ms, lint on %.3f ms: lint adds %+.3f ms\n", off/n, on/n, (on-off)/n }'

# What lint did (the worker keeps up, or the queue drops: both show here).
sleep 3
if command -v sqlite3 > /dev/null; then
  db="$data/lint-on/gateway.db"
  echo "lint-on call log: $(sqlite3 "$db" 'select count(*) from ApiCalls') calls, $(sqlite3 "$db" 'select count(*) from ApiCalls where ProblemCount is not null') linted, $(sqlite3 "$db" 'select count(*) from ApiCalls where ProblemCount is null') not linted, $(sqlite3 "$db" 'select count(*) from ApiCallProblems') problems"
  sqlite3 "$db" 'select Rule, Path, count(*) from ApiCallProblems group by Rule, Path order by 3 desc limit 5' | sed 's/^/  /'
fi
echo "gateway warnings and errors (first 5 kinds, lint on):"
grep -E '^(warn|fail|crit)' -A1 "$data/lint-on.log" | grep -vE '^(warn|fail|crit|--)' | sed -E 's/[0-9a-f-]{36}//g' | sort | uniq -c | sort -rn | head -5 || true
