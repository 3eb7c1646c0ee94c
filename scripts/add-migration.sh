#!/usr/bin/env bash
# Adds an EF Core migration for both database providers of one service.
#   scripts/add-migration.sh <Service> <MigrationName>      e.g. scripts/add-migration.sh Sandbox AddConsents
# Each service keeps SQLite migrations in Migrations/Sqlite and SQL Server ones in Migrations/SqlServer,
# each set tied to a provider-specific context (Sqlite<Service>DbContext, SqlServer<Service>DbContext).
set -euo pipefail
cd "$(dirname "$0")/.."
service=${1:?service name, e.g. Sandbox}
name=${2:?migration name}
dotnet tool restore >/dev/null
dotnet build "src/$service" -v q -nologo >/dev/null
for provider in Sqlite SqlServer; do
  dotnet ef migrations add "$name" --no-build --project "src/$service" \
    --context "${provider}${service}DbContext" \
    --output-dir "Migrations/$provider"
done
