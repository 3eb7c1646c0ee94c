using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.UnitTests.Infrastructure;

/// <summary>
/// The group committer's statements, prepared once per kept connection: EF Core's saves and queries give the same
/// results through them, a failed statement leaves the kept one usable, and a statement whose reader is still open
/// is not reused under it.
/// </summary>
public sealed class ReusedStatementsTests : IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly ReusedStatements _statements = new();

    public async ValueTask InitializeAsync()
    {
        await _connection.OpenAsync(Ct);
        await using var db = Context();
        await db.Database.EnsureCreatedAsync(Ct);
    }

    public async ValueTask DisposeAsync()
    {
        _statements.Forget(_connection);
        await _connection.DisposeAsync();
    }

    [Fact]
    public async Task Saves_OnAKeptConnection_ArePreparedOnceAndAllWritten()
    {
        _statements.Keep(_connection);
        await using var db = Context();

        db.Tenants.Add(NewTenant("org-1"));
        await db.SaveChangesAsync(Ct);
        var kept = _statements.KeptCount(_connection);
        db.ChangeTracker.Clear();
        db.Tenants.Add(NewTenant("org-2"));
        await db.SaveChangesAsync(Ct);

        Assert.True(kept > 0);
        Assert.Equal(kept, _statements.KeptCount(_connection)); // the second insert ran the kept statement
        db.ChangeTracker.Clear();
        Assert.Equal(["org-1", "org-2"], await db.Tenants.OrderBy(t => t.OrganisationId).Select(t => t.OrganisationId).ToListAsync(Ct));
    }

    [Fact]
    public async Task AFailedStatement_LeavesTheKeptOneUsable()
    {
        _statements.Keep(_connection);
        await using var db = Context();
        var tenant = NewTenant("org-1");
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync(Ct);
        db.ChangeTracker.Clear();

        db.Tenants.Add(new Tenant { Id = tenant.Id, OrganisationId = "org-duplicate" });
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
        db.ChangeTracker.Clear();
        db.Tenants.Add(NewTenant("org-3"));
        await db.SaveChangesAsync(Ct);

        db.ChangeTracker.Clear();
        Assert.Equal(["org-1", "org-3"], await db.Tenants.OrderBy(t => t.OrganisationId).Select(t => t.OrganisationId).ToListAsync(Ct));
    }

    [Fact]
    public async Task AStatementWhoseReaderIsOpen_IsNotReusedUnderIt()
    {
        _statements.Keep(_connection);
        await using var db = Context();
        db.Tenants.AddRange(NewTenant("org-1"), NewTenant("org-2"));
        await db.SaveChangesAsync(Ct);
        db.ChangeTracker.Clear();

        // The same query again while the first one's reader is still being read: the second runs on its own command.
        var pairs = new List<(string Outer, int Inner)>();
        await foreach (var outer in db.Tenants.AsNoTracking().OrderBy(t => t.OrganisationId).AsAsyncEnumerable().WithCancellation(Ct))
        {
            var inner = await db.Tenants.AsNoTracking().OrderBy(t => t.OrganisationId).AsAsyncEnumerable().CountAsync(Ct);
            pairs.Add((outer.OrganisationId, inner));
        }

        Assert.Equal([("org-1", 2), ("org-2", 2)], pairs);
    }

    [Fact]
    public async Task Savepoints_RunThroughKeptStatements_RollBackTheirPart()
    {
        _statements.Keep(_connection);
        await using var db = Context();
        await using var transaction = await db.Database.BeginTransactionAsync(Ct);
        var native = Microsoft.EntityFrameworkCore.Storage.DbContextTransactionExtensions.GetDbTransaction(transaction);

        db.Tenants.Add(NewTenant("org-kept"));
        await db.SaveChangesAsync(Ct);
        await _statements.ExecuteAsync(_connection, native, "SAVEPOINT item;", Ct);
        db.ChangeTracker.Clear();
        db.Tenants.Add(NewTenant("org-undone"));
        await db.SaveChangesAsync(Ct);
        await _statements.ExecuteAsync(_connection, native, "ROLLBACK TO SAVEPOINT item;", Ct);
        await _statements.ExecuteAsync(_connection, native, "RELEASE SAVEPOINT item;", Ct);
        await transaction.CommitAsync(Ct);

        db.ChangeTracker.Clear();
        Assert.Equal(["org-kept"], await db.Tenants.Select(t => t.OrganisationId).ToListAsync(Ct));
    }

    [Fact]
    public async Task AKeptConnection_SeesWhatOtherConnectionsCommit()
    {
        // A file, in WAL mode as the Sandbox runs it: a statement left open would pin the kept connection to an old snapshot.
        var file = Path.Combine(Path.GetTempPath(), $"reused-{Guid.NewGuid():N}.db");
        try
        {
            await using var kept = new SqliteConnection($"Data Source={file}");
            await using var other = new SqliteConnection($"Data Source={file}");
            await kept.OpenAsync(Ct);
            await other.OpenAsync(Ct);
            await using (var wal = kept.CreateCommand())
            {
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                await wal.ExecuteNonQueryAsync(Ct);
            }

            _statements.Keep(kept);
            await using var keptDb = ContextOn(kept);
            await using var otherDb = ContextOn(other);
            await keptDb.Database.EnsureCreatedAsync(Ct);
            var ids = new List<Guid>();
            for (var i = 0; i < 3; i++)
            {
                var tenant = NewTenant($"org-{i}");
                otherDb.Tenants.Add(tenant);
                await otherDb.SaveChangesAsync(Ct);
                ids.Add(tenant.Id);

                var id = tenant.Id;
                Assert.NotNull(await keptDb.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, Ct));
                Assert.Equal(2 * i + 1, await keptDb.Tenants.CountAsync(Ct));
                await using var transaction = await keptDb.Database.BeginTransactionAsync(Ct);
                keptDb.Tenants.Add(NewTenant($"kept-{i}"));
                await keptDb.SaveChangesAsync(Ct);
                await transaction.CommitAsync(Ct);
                keptDb.ChangeTracker.Clear();
                Assert.Equal(2 * i + 2, await otherDb.Tenants.CountAsync(Ct));
                await otherDb.Tenants.Where(t => t.Id == id).ExecuteDeleteAsync(Ct);
                otherDb.Tenants.Add(NewTenant($"again-{i}"));
                await otherDb.SaveChangesAsync(Ct);
                otherDb.ChangeTracker.Clear();
                Assert.Equal(2 * i + 2, await keptDb.Tenants.CountAsync(Ct));
            }

            _statements.Forget(kept);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AConnectionNotKept_RunsAsUsual()
    {
        await using var db = Context();
        db.Tenants.Add(NewTenant("org-1"));
        await db.SaveChangesAsync(Ct);

        Assert.Equal(0, _statements.KeptCount(_connection));
        Assert.Equal(1, await db.Tenants.CountAsync(Ct));
    }

    [Fact]
    public async Task Forget_DisposesTheKeptStatements()
    {
        _statements.Keep(_connection);
        await using var db = Context();
        db.Tenants.Add(NewTenant("org-1"));
        await db.SaveChangesAsync(Ct);

        _statements.Forget(_connection);

        Assert.Equal(0, _statements.KeptCount(_connection));
        db.ChangeTracker.Clear();
        Assert.Equal(1, await db.Tenants.CountAsync(Ct));
    }

    private SandboxDbContext Context()
        => new SqliteSandboxDbContext(new DbContextOptionsBuilder<SqliteSandboxDbContext>().UseSqlite(_connection).AddInterceptors(_statements).Options);

    private SandboxDbContext ContextOn(SqliteConnection connection)
        => new SqliteSandboxDbContext(new DbContextOptionsBuilder<SqliteSandboxDbContext>().UseSqlite(connection).AddInterceptors(_statements).Options);

    private static Tenant NewTenant(string organisationId) => new() { Id = Guid.NewGuid(), OrganisationId = organisationId };
}
