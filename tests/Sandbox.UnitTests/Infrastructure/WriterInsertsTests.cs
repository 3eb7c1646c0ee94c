using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Payments;

namespace OpenBanking.Sandbox.UnitTests.Infrastructure;

/// <summary>
/// The writer's inserts: the same rows as EF Core's own save (every column, converters and dates included), keys
/// generated and accepted, the saved-changes interceptors still called — and EF Core's save wherever a change is not a
/// plain insert or the connection is not the writer's.
/// </summary>
public sealed class WriterInsertsTests : IAsyncLifetime
{
    private static readonly string[] Tables = ["Tenants", "Customers", "OutboxMessages", "IdempotencyRecords"];
    private static readonly DateTimeOffset At = new(2026, 12, 4, 9, 30, 15, 123, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly SqliteConnection _writer = new("Data Source=:memory:");
    private readonly SqliteConnection _plain = new("Data Source=:memory:");
    private readonly ReusedStatements _statements = new();
    private readonly Recorder _recorder = new();

    public async ValueTask InitializeAsync()
    {
        foreach (var connection in new[] { _writer, _plain })
        {
            await connection.OpenAsync(Ct);
            await using var db = Context(connection);
            await db.Database.EnsureCreatedAsync(Ct);
        }

        _statements.Keep(_writer);
    }

    public async ValueTask DisposeAsync()
    {
        _statements.Forget(_writer);
        await _writer.DisposeAsync();
        await _plain.DisposeAsync();
    }

    [Fact]
    public async Task Inserts_WriteTheSameRowsAsEfCore_WithKeysGeneratedAndSavedChangesCalled()
    {
        var tenantId = Guid.NewGuid();
        foreach (var connection in new[] { _plain, _writer })
        {
            await using var db = Context(connection);
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            AddRows(db, tenantId);
            _recorder.Reset();
            Assert.Equal(5, await db.SaveChangesAsync(Ct));
            Assert.True(_recorder.Saved); // the interceptors that end a save (the outbox's wake-up, cache invalidation) still run
            Assert.Equal(connection == _writer ? 0 : 5, _recorder.Inserts); // the writer's rows bypass EF Core's commands
            Assert.All(db.ChangeTracker.Entries(), e => Assert.Equal(EntityState.Unchanged, e.State));
            Assert.All(db.ChangeTracker.Entries<OutboxMessage>(), e => Assert.True(e.Entity.Id > 0));
            Assert.Equal(0, await db.SaveChangesAsync(Ct)); // accepted: nothing is written twice
            await transaction.CommitAsync(Ct);
        }

        foreach (var table in Tables)
        {
            Assert.Equal(await DumpAsync(_plain, table), await DumpAsync(_writer, table));
        }
    }

    [Fact]
    public async Task EveryRowAPaymentAdds_IsOfASupportedType()
    {
        await using var db = Context(_plain);
        Type[] payment = [typeof(Tenant), typeof(Customer), typeof(OutboxMessage), typeof(IdempotencyRecord), typeof(DomesticPayment),
            typeof(PaymentStatusChange), typeof(global::OpenBanking.Sandbox.Fraud.PaymentScreening), typeof(BankTransaction), typeof(global::OpenBanking.Sandbox.Ledger.LedgerEntry), typeof(global::OpenBanking.Sandbox.Consents.ConsentStatusChange)];
        var unsupported = payment.Where(t => !WriterInserts.Supports(db.Model.FindEntityType(t)!)).Select(t => t.Name).ToList();
        Assert.Empty(unsupported);
        await Task.CompletedTask;
    }

    [Fact]
    public async Task AnUpdate_IsSavedByEfCore()
    {
        await using var db = Context(_writer);
        var tenant = new Tenant { Id = Guid.NewGuid(), OrganisationId = "org-update" };
        await using (var transaction = await db.Database.BeginTransactionAsync(Ct))
        {
            db.Tenants.Add(tenant);
            await db.SaveChangesAsync(Ct);
            await transaction.CommitAsync(Ct);
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(Ct))
        {
            tenant.OrganisationId = "org-renamed";
            db.Tenants.Add(new Tenant { Id = Guid.NewGuid(), OrganisationId = "org-added" });
            _recorder.Reset();
            await db.SaveChangesAsync(Ct);
            await transaction.CommitAsync(Ct);
        }

        Assert.Equal(2, _recorder.Commands); // EF Core's own UPDATE and INSERT
        db.ChangeTracker.Clear();
        Assert.Equal(["org-added", "org-renamed"], await db.Tenants.OrderBy(t => t.OrganisationId).Select(t => t.OrganisationId).ToListAsync(Ct));
    }

    [Fact]
    public async Task AFailingInsert_LeavesTheSaveUnaccepted_AndTheTransactionUsable()
    {
        await using var db = Context(_writer);
        await using var transaction = await db.Database.BeginTransactionAsync(Ct);
        var tenant = new Tenant { Id = Guid.NewGuid(), OrganisationId = "org-1" };
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync(Ct);
        db.ChangeTracker.Clear();

        db.Tenants.Add(new Tenant { Id = Guid.NewGuid(), OrganisationId = "org-1" }); // the organisation id is unique
        var failure = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct)); // as EF Core's own
        Assert.IsType<SqliteException>(failure.InnerException);
        db.ChangeTracker.Clear();
        db.Tenants.Add(new Tenant { Id = Guid.NewGuid(), OrganisationId = "org-2" });
        await db.SaveChangesAsync(Ct);
        await transaction.CommitAsync(Ct);

        db.ChangeTracker.Clear();
        Assert.Equal(["org-1", "org-2"], await db.Tenants.OrderBy(t => t.OrganisationId).Select(t => t.OrganisationId).ToListAsync(Ct));
    }

    private static void AddRows(SandboxDbContext db, Guid tenantId)
    {
        db.Tenants.Add(new Tenant { Id = tenantId, OrganisationId = "org-same" });
        db.Customers.Add(new Customer { Id = "c-1", TenantId = tenantId, Username = "alice", Persona = "p", Name = "Alice", PasswordHash = "x", Email = null });
        db.OutboxMessages.Add(Outbox.StatusChanged(OutboxResource.DomesticPaymentConsent, "pc-1", tenantId, "wallet", nameof(ConsentStatus.Consumed), 3, At));
        db.OutboxMessages.Add(Outbox.StatusChanged(OutboxResource.DomesticPayment, "dp-1", tenantId, "wallet", "Pending", 0, At.AddSeconds(1)));
        Idempotency.Claim(db, "wallet", "domestic-payments", "key-1", "hash", "dp-1", At.UtcDateTime);
    }

    private static async Task<string> DumpAsync(SqliteConnection connection, string table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table}\" ORDER BY rowid";
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var rows = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => $"{reader.GetName(i)}={reader.GetValue(i)}:{reader.GetDataTypeName(i)}")));
        }

        Assert.NotEmpty(rows);
        return string.Join("\n", rows);
    }

    private SandboxDbContext Context(SqliteConnection connection)
        => new SqliteSandboxDbContext(new DbContextOptionsBuilder<SqliteSandboxDbContext>().UseSqlite(connection)
            .AddInterceptors(_recorder, _statements, new WriterInserts(_statements)).Options);

    /// <summary>Whether the save ended as EF Core's does, and which EF Core commands ran.</summary>
    private sealed class Recorder : SaveChangesInterceptor, IDbCommandInterceptor
    {
        public bool Saved { get; private set; }
        public int Inserts { get; private set; }
        public int Commands { get; private set; }

        public void Reset() => (Saved, Inserts, Commands) = (false, 0, 0);

        public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Saved = true;
            return ValueTask.FromResult(result);
        }

        public ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
            => Count(command, result);

        public ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
            => Count(command, result);

        private ValueTask<InterceptionResult<T>> Count<T>(DbCommand command, InterceptionResult<T> result)
        {
            Commands++;
            if (command.CommandText.StartsWith("INSERT", StringComparison.Ordinal))
            {
                Inserts++;
            }

            return ValueTask.FromResult(result);
        }
    }
}
