#!/usr/bin/env bash
# Client-credentials token throughput of Identity, measured from outside the process with wrk (issue 4).
#   bench/identity-tokens.sh [seconds]        needs wrk (apt-get install -y wrk); uses 127.0.0.1:5101
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
command -v wrk > /dev/null || { echo "wrk is not installed: apt-get install -y wrk"; exit 2; }
dotnet build -c Release src/Identity -v q -nologo > /dev/null

data=$(mktemp -d)
script=$(mktemp --suffix=.lua)
cat > "$script" <<'LUA'
wrk.method = "POST"
wrk.body   = "grant_type=client_credentials&scope=accounts"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic ZGVtby13YWxsZXQ6ZGVtby13YWxsZXQtc2VjcmV0"
LUA
# Development seeds the demo-wallet app; Release build; its own database and keys in a temporary folder.
cd src/Identity
ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS=http://127.0.0.1:5101 Database__DataDirectory="$data" \
  Logging__LogLevel__Default=Warning setsid dotnet bin/Release/net10.0/OpenBanking.Identity.dll > "$data/identity.log" 2>&1 < /dev/null &
server=$!
cd ../..
trap 'kill -- -$server 2>/dev/null || kill $server 2>/dev/null || true; rm -rf "$data" "$script"' EXIT
for _ in $(seq 1 60); do curl -fsS -o /dev/null http://127.0.0.1:5101/health 2>/dev/null && break; sleep 1; done

echo "--- warm-up (JIT, caches): 10 s, results discarded"
wrk -t2 -c8 -d10s -s "$script" http://127.0.0.1:5101/connect/token > /dev/null
for connections in 4 16 32; do
  echo "--- $connections connections, ${seconds} s"
  wrk -t2 -c"$connections" -d"${seconds}s" -s "$script" http://127.0.0.1:5101/connect/token | grep -E "Latency|Requests/sec|Non-2xx"
done
