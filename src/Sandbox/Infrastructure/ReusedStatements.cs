using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace OpenBanking.Sandbox.Infrastructure;

/// <summary>
/// Prepared statements kept for a connection that stays open (the group committer's), instead of one prepared per
/// command. EF Core builds a new <see cref="DbCommand"/> for every statement it runs and Microsoft.Data.Sqlite keeps a
/// command's prepared statement only for that command's life, so every insert, update and savepoint of every payment
/// was compiled by SQLite anew — a third of the writer's SQLite time. For a connection registered here, a command EF
/// Core is about to run is answered by a command of the same text kept for the connection (prepared at its first use)
/// with EF Core's parameters: the same SQL, values and transaction, so behaviour is EF Core's own; the interceptors
/// that read the command (e.g. <c>AccountReadInvalidation</c>) still see EF Core's command and its result.
/// </summary>
/// <remarks>
/// Only connections registered with <see cref="Keep"/> are served, because a statement stays valid only while its
/// connection is open (closing it finalises the statements; the next use prepares again, harmless but useless). A kept
/// command whose last reader is still open is not reused (EF Core would get "a reader is already open"): that call runs
/// as usual. At most <see cref="MaxPerConnection"/> texts per connection, so SQL that varies (an <c>IN</c> list) cannot
/// grow it without bound.
/// </remarks>
public sealed class ReusedStatements : DbCommandInterceptor
{
    public const int MaxPerConnection = 256;

    private readonly ConditionalWeakTable<DbConnection, Statements> _kept = [];

    /// <summary>From now on the connection's commands are prepared once and reused (until <see cref="Forget"/>).</summary>
    public void Keep(DbConnection connection)
    {
        if (connection is SqliteConnection)
        {
            _kept.AddOrUpdate(connection, new Statements());
        }
    }

    /// <summary>Disposes what was kept for the connection (before it is closed for good).</summary>
    public void Forget(DbConnection connection)
    {
        if (_kept.TryGetValue(connection, out var statements))
        {
            _kept.Remove(connection);
            statements.Dispose();
        }
    }

    /// <summary>Whether the connection's statements are kept.</summary>
    public bool IsKept(DbConnection connection) => _kept.TryGetValue(connection, out _);

    /// <summary>The kept command of this text on a kept connection (not in use), or null.</summary>
    public SqliteCommand? Command(DbConnection connection, string sql)
        => _kept.TryGetValue(connection, out var statements) ? statements.For(connection, sql) : null;

    /// <summary>How many statements are kept for the connection (0 when it is not kept).</summary>
    public int KeptCount(DbConnection connection) => _kept.TryGetValue(connection, out var statements) ? statements.Count : 0;

    /// <summary>Runs a statement without parameters on a kept connection (a savepoint), prepared once.</summary>
    public async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken ct = default)
    {
        if (_kept.TryGetValue(connection, out var statements) && statements.For(connection, sql) is { } kept)
        {
            kept.Transaction = (SqliteTransaction?)transaction;
            kept.Parameters.Clear();
            await kept.ExecuteNonQueryAsync(ct);
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(ct);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        => !result.HasResult && Take(command) is { } kept ? InterceptionResult<DbDataReader>.SuppressWithResult(Remember(kept, kept.ExecuteReader())) : result;

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        => !result.HasResult && Take(command) is { } kept
            ? InterceptionResult<DbDataReader>.SuppressWithResult(Remember(kept, await kept.ExecuteReaderAsync(cancellationToken)))
            : result;

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        => !result.HasResult && Take(command) is { } kept ? InterceptionResult<int>.SuppressWithResult(kept.ExecuteNonQuery()) : result;

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        => !result.HasResult && Take(command) is { } kept
            ? InterceptionResult<int>.SuppressWithResult(await kept.ExecuteNonQueryAsync(cancellationToken))
            : result;

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        => !result.HasResult && Take(command) is { } kept ? InterceptionResult<object>.SuppressWithResult(kept.ExecuteScalar()!) : result;

    public override async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        => !result.HasResult && Take(command) is { } kept
            ? InterceptionResult<object>.SuppressWithResult((await kept.ExecuteScalarAsync(cancellationToken))!)
            : result;

    /// <summary>The kept command for this one's text, carrying its parameters, transaction and timeout; null to run it as usual.</summary>
    private SqliteCommand? Take(DbCommand command)
    {
        if (command.Connection is not { } connection || !_kept.TryGetValue(connection, out var statements)
            || statements.For(connection, command.CommandText) is not { } kept)
        {
            return null;
        }

        kept.Transaction = (SqliteTransaction?)command.Transaction;
        kept.CommandTimeout = command.CommandTimeout;
        kept.Parameters.Clear();
        foreach (SqliteParameter parameter in command.Parameters)
        {
            kept.Parameters.Add(parameter);
        }

        return kept;
    }

    private static DbDataReader Remember(SqliteCommand kept, SqliteDataReader reader)
    {
        Statements.LastReader.AddOrUpdate(kept, reader);
        return reader;
    }

    private sealed class Statements : IDisposable
    {
        // The reader each kept command last returned: while it is open the command cannot run again.
        public static readonly ConditionalWeakTable<SqliteCommand, SqliteDataReader> LastReader = [];

        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        public int Count => _commands.Count;

        public SqliteCommand? For(DbConnection connection, string sql)
        {
            if (_commands.TryGetValue(sql, out var kept))
            {
                return LastReader.TryGetValue(kept, out var reader) && !reader.IsClosed ? null : kept;
            }

            if (_commands.Count >= MaxPerConnection || string.IsNullOrEmpty(sql))
            {
                return null;
            }

            kept = (SqliteCommand)connection.CreateCommand();
            kept.CommandText = sql;
            kept.CommandType = CommandType.Text;
            _commands[sql] = kept;
            return kept;
        }

        public void Dispose()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            _commands.Clear();
        }
    }
}
