#!/usr/bin/env bash
# Event notifications delivered to a local receiver (issue 17). Results go in docs/benchmarks.md.
#   bench/events.sh [rate] [seconds]          default 500 status changes/s for 30 s; reports delivered/s and commit → 202 p50/p95/p99
#   bench/events.sh [rate] [seconds] outage   the receiver answers 500 for the first 60 s, then 202; payments made meanwhile
# The Sandbox (Production mode, default Events options, SQLite) runs in the benchmark's process with the receiver. The
# status changes are outbox rows written straight into its database in the payments' group-committed transactions (the
# payments API does not reach 500/s on a 2-core box with delivery running beside it); see EventsBench.cs.
# Exit code 1 when an event was not delivered, or (normal mode) below 500/s delivered or p95 at 1 s or more.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release bench/Sandbox.Benchmarks -v q -nologo > /dev/null
exec dotnet bench/Sandbox.Benchmarks/bin/Release/net10.0/OpenBanking.Sandbox.Benchmarks.dll events "${1:-500}" "${2:-30}" "${3:-}"
