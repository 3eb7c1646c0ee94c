using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OpenBanking.Sandbox.Infrastructure;

/// <summary>
/// <c>synchronous=NORMAL</c> on every SQLite connection. In WAL mode a commit is then durable against a crash of the
/// process (the WAL is written before the commit returns) and synced to disk at each checkpoint, not at each commit —
/// the per-commit fsync otherwise caps the money-moving transactions, which take turns, at about a hundred a second.
/// A power loss can lose the last commits; acceptable for a sandbox bank (docs/payments.md), and what the Gateway's
/// call log does too.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous = NORMAL;";
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous = NORMAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
