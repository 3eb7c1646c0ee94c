using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace OpenBanking.ServiceDefaults.Authentication.Dpop;

/// <summary>
/// The replay cache in <typeparamref name="TContext"/>'s <c>DpopProofs</c> table, shared by every instance of the
/// service. A proof is recorded by inserting its key; the primary key makes the second insert of the same proof fail,
/// so two instances racing on one replayed proof cannot both accept it. One row per accepted proof, on the request path:
/// kept to a single statement without EF (SQLite: a prepared <c>INSERT OR IGNORE</c> on one connection kept open —
/// SQLite takes one writer at a time anyway; SQL Server: a pooled connection per insert, duplicate key = replay).
/// </summary>
public sealed class EfDpopReplayStore<TContext>(IServiceScopeFactory scopes) : IDpopReplayStore, IAsyncDisposable
    where TContext : DbContext
{
    private readonly SemaphoreSlim _sqliteGate = new(1, 1);
    private (bool IsSqlite, string ConnectionString)? _database;
    private SqliteConnection? _sqlite;
    private SqliteCommand? _sqliteInsert;

    /// <inheritdoc />
    public async ValueTask<bool> TryRecordAsync(string jkt, string jti, DateTime expiresAtUtc, CancellationToken cancellationToken)
    {
        var key = DpopProofValidator.ReplayKey(jkt, jti);
        var (isSqlite, connectionString) = _database ??= Resolve();
        return isSqlite
            ? await InsertSqliteAsync(connectionString, key, expiresAtUtc, cancellationToken)
            : await InsertSqlServerAsync(connectionString, key, expiresAtUtc, cancellationToken);
    }

    private (bool, string) Resolve()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        return (db.Database.IsSqlite(), db.Database.GetConnectionString()
            ?? throw new InvalidOperationException($"{typeof(TContext).Name} has no connection string."));
    }

    private async ValueTask<bool> InsertSqliteAsync(string connectionString, byte[] key, DateTime expiresAtUtc, CancellationToken cancellationToken)
    {
        await _sqliteGate.WaitAsync(cancellationToken);
        try
        {
            if (_sqliteInsert is null)
            {
                _sqlite = new SqliteConnection(connectionString);
                await _sqlite.OpenAsync(cancellationToken);
                await using (var pragma = _sqlite.CreateCommand())
                {
                    // WAL with NORMAL sync cannot corrupt the file; a power cut may forget the last second of proofs,
                    // and those are at most a minute from expiring anyway. While another writer (the call log's batch,
                    // another instance) holds the lock, SQLite's own busy handler retries within milliseconds; without
                    // it Microsoft.Data.Sqlite sleeps 150 ms between retries, on the request path.
                    pragma.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;";
                    await pragma.ExecuteNonQueryAsync(cancellationToken);
                }

                _sqliteInsert = _sqlite.CreateCommand();
                _sqliteInsert.CommandText = $"INSERT OR IGNORE INTO \"{DpopProofModel.Table}\" (\"Key\", \"ExpiresAt\") VALUES ($key, $expiresAt)";
                _sqliteInsert.Parameters.Add("$key", SqliteType.Blob);
                _sqliteInsert.Parameters.Add("$expiresAt", SqliteType.Text);
                _sqliteInsert.Prepare();
            }

            _sqliteInsert.Parameters[0].Value = key;
            // The text form EF Core uses for DateTime on SQLite, so the cleanup's EF query compares like with like.
            _sqliteInsert.Parameters[1].Value = expiresAtUtc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
            return await _sqliteInsert.ExecuteNonQueryAsync(cancellationToken) == 1;
        }
        catch (SqliteException)
        {
            // A broken connection must not stay cached; the next call opens a fresh one.
            await ResetSqliteAsync();
            throw;
        }
        finally
        {
            _sqliteGate.Release();
        }
    }

    private static async ValueTask<bool> InsertSqlServerAsync(string connectionString, byte[] key, DateTime expiresAtUtc, CancellationToken cancellationToken)
    {
        await using var connection = new SqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO [{DpopProofModel.Table}] ([Key], [ExpiresAt]) VALUES (@key, @expiresAt)";
        insert.Parameters.Add(new SqlParameter("@key", System.Data.SqlDbType.Binary, 16) { Value = key });
        insert.Parameters.Add(new SqlParameter("@expiresAt", System.Data.SqlDbType.DateTime2) { Value = expiresAtUtc });
        try
        {
            await insert.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (SqlException exception) when (exception.Number is 2627 or 2601)
        {
            // 2627: primary key violation, 2601: unique index violation — the proof was recorded before.
            return false;
        }
    }

    private async ValueTask ResetSqliteAsync()
    {
        if (_sqliteInsert is not null)
        {
            await _sqliteInsert.DisposeAsync();
            _sqliteInsert = null;
        }

        if (_sqlite is not null)
        {
            await _sqlite.DisposeAsync();
            _sqlite = null;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await ResetSqliteAsync();
        _sqliteGate.Dispose();
    }
}
