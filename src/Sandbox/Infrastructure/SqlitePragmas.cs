using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OpenBanking.Sandbox.Infrastructure;

/// <summary>
/// <c>synchronous=NORMAL</c> on every SQLite connection. In WAL mode a commit is then durable against a crash of the
/// process (the WAL is written before the commit returns) and synced to disk at each checkpoint, not at each commit —
/// the per-commit fsync otherwise caps the money-moving transactions, which take turns, at about a hundred a second.
/// A power loss can lose the last commits; acceptable for a sandbox bank (docs/payments.md), and what the Gateway's
/// call log does too.
/// </summary>
/// <remarks>
/// The setting belongs to the native connection, which Microsoft.Data.Sqlite pools: it is set once per native
/// connection, not at every open of a pooled one (a prepared statement per request was 6 % of a payment's CPU).
/// </remarks>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    private static readonly ConditionalWeakTable<object, object> Configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (!NeedsSetting(connection, out var handle))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous = NORMAL;";
        command.ExecuteNonQuery();
        Remember(handle);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (!NeedsSetting(connection, out var handle))
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous = NORMAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
        Remember(handle);
    }

    private static bool NeedsSetting(DbConnection connection, out object? handle)
    {
        handle = (connection as SqliteConnection)?.Handle;
        return handle is null || !Configured.TryGetValue(handle, out _);
    }

    private static void Remember(object? handle)
    {
        if (handle is not null)
        {
            Configured.AddOrUpdate(handle, handle);
        }
    }
}
