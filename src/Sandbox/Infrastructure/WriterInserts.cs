using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace OpenBanking.Sandbox.Infrastructure;

/// <summary>
/// The group committer's saves that only add rows (a payment: its row, status history, screening, key, transaction,
/// ledger lines, outbox rows), written as one kept INSERT per entity type (<see cref="ReusedStatements"/>) instead of
/// through EF Core's update pipeline, which built the SQL, the command and its parameters anew for every row and was
/// most of the writer's CPU that was not SQLite's own. Registered after the interceptors that add rows
/// (<see cref="DomainChangesInterceptor"/>), so what they add is written too, and the save then ends as EF Core's would:
/// generated keys set, every entry accepted, the saved-changes interceptors called.
/// </summary>
/// <remarks>
/// Only on a connection <see cref="ReusedStatements"/> keeps (the writer's) and only when every change is an insert of
/// an entity type mapped plainly to one table — no owned or complex types, no store-generated value other than an
/// integer key — otherwise EF Core saves as usual. Values go through each property's own type mapping
/// (<see cref="RelationalTypeMapping.CreateParameter"/>: converters, DbType), exactly as EF Core binds them.
/// </remarks>
public sealed class WriterInserts(ReusedStatements statements) : SaveChangesInterceptor
{
    private readonly ConcurrentDictionary<IEntityType, Plan?> _plans = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (result.HasResult || eventData.Context is not { } context || context.Database.CurrentTransaction is null)
        {
            return result;
        }

        var connection = context.Database.GetDbConnection();
        if (!statements.IsKept(connection))
        {
            return result;
        }

        context.ChangeTracker.DetectChanges();
        var added = new List<(EntityEntry Entry, Plan Plan)>();
        foreach (var entry in context.ChangeTracker.Entries())
        {
            switch (entry.State)
            {
                case EntityState.Unchanged or EntityState.Detached:
                    continue;
                case EntityState.Added when PlanFor(entry.Metadata) is { } plan && !plan.WaitsForAnotherKey(entry):
                    added.Add((entry, plan));
                    continue;
                default:
                    return result; // an update, a delete or an unusual type: EF Core saves it all
            }
        }

        if (added.Count == 0)
        {
            return result;
        }

        // Principals before their dependents, as EF Core orders them (SQLite checks foreign keys at each statement).
        added.Sort((a, b) => a.Plan.Rank.CompareTo(b.Plan.Rank));
        var transaction = context.Database.CurrentTransaction.GetDbTransaction();
        foreach (var (entry, plan) in added)
        {
            try
            {
                await plan.InsertAsync(statements, connection, transaction, entry, cancellationToken);
            }
            catch (SqliteException e)
            {
                // As EF Core reports it: callers tell a lost race (a unique key taken meanwhile) by this exception.
                throw new DbUpdateException("An error occurred while saving the entity changes. See the inner exception for details.", e, [entry]);
            }
        }

        context.ChangeTracker.AcceptAllChanges();
        return InterceptionResult<int>.SuppressWithResult(added.Count);
    }

    private Plan? PlanFor(IEntityType type) => _plans.GetOrAdd(type, Plan.For);

    /// <summary>Whether rows of the type can be written this way (else a save adding one is EF Core's).</summary>
    public static bool Supports(IEntityType type) => Plan.For(type) is not null;

    /// <summary>
    /// One entity type's INSERT: its columns, the integer key the database generates (if any), and its rank — one more
    /// than the highest of the types its foreign keys point to, so that sorting by it puts principals first.
    /// </summary>
    private sealed class Plan(string sql, IProperty[] columns, IProperty? generatedKey, int rank)
    {
        public int Rank => rank;

        /// <summary>Whether a value of the row is another row's key not yet generated (EF Core fixes those up; this does not).</summary>
        public bool WaitsForAnotherKey(EntityEntry entry)
        {
            foreach (var property in entry.Properties)
            {
                if (property.IsTemporary && property.Metadata != generatedKey)
                {
                    return true;
                }
            }

            // A key set by the code (not left for the database) would be left out of the INSERT: EF Core's then.
            return generatedKey is not null && !entry.Property(generatedKey.Name).IsTemporary;
        }

        public static Plan? For(IEntityType type)
        {
            if (type.GetForeignKeys().Any(k => k.PrincipalEntityType == type))
            {
                return null;
            }

            if (type.GetTableName() is not { } table || type.IsOwned() || type.GetComplexProperties().Any()
                || type.GetNavigations().Any(n => n.TargetEntityType.IsOwned()) || type.BaseType is not null || type.GetDirectlyDerivedTypes().Any()
                || type.FindPrimaryKey() is not { Properties.Count: 1 } key)
            {
                return null;
            }

            var store = StoreObjectIdentifier.Table(table, type.GetSchema());
            var columns = new List<IProperty>();
            IProperty? generated = null;
            foreach (var property in type.GetProperties())
            {
                if (property == key.Properties[0] && property.ValueGenerated == ValueGenerated.OnAdd
                    && (property.ClrType == typeof(long) || property.ClrType == typeof(int)))
                {
                    generated = property; // the database's rowid
                }
                else if (property.ValueGenerated == ValueGenerated.Never
                    || (property.ValueGenerated == ValueGenerated.OnAdd && property.GetDefaultValueSql() is null && property.GetComputedColumnSql() is null
                        && !property.IsConcurrencyToken))
                {
                    // Client-generated keys (a Guid EF Core sets on Add) and constant defaults are written as values (see Value).
                    columns.Add(property);
                }
                else
                {
                    return null; // SQL defaults, computed columns, row versions: EF Core knows how
                }
            }

            var names = columns.Select(p => '"' + p.GetColumnName(store)! + '"');
            var values = columns.Select((_, i) => "@p" + i);
            var sql = $"INSERT INTO \"{table}\" ({string.Join(", ", names)}) VALUES ({string.Join(", ", values)})"
                + (generated is null ? ";" : $" RETURNING \"{generated.GetColumnName(store)}\";");
            return new Plan(sql, [.. columns], generated, RankOf(type, 0));
        }

        /// <summary>
        /// The value EF Core's INSERT would give the column: the property's own, or — for a property with a constant default
        /// still at its CLR default, which EF Core leaves out so that the database's default applies — that default.
        /// </summary>
        private static object? Value(EntityEntry entry, IProperty property)
        {
            var value = entry.Property(property.Name).CurrentValue;
            return property.ValueGenerated == ValueGenerated.OnAdd && property.TryGetDefaultValue(out var fallback)
                && Equals(value, property.Sentinel) ? fallback : value;
        }

        private static int RankOf(IEntityType type, int depth)
            => depth > 16 ? depth : 1 + type.GetForeignKeys().Where(k => k.PrincipalEntityType != type)
                .Select(k => RankOf(k.PrincipalEntityType, depth + 1)).DefaultIfEmpty(0).Max();

        public async Task InsertAsync(ReusedStatements statements, DbConnection connection, DbTransaction transaction, EntityEntry entry, CancellationToken ct)
        {
            var command = statements.Command(connection, sql);
            var kept = command is not null;
            command ??= (SqliteCommand)connection.CreateCommand();
            try
            {
                command.CommandText = sql;
                command.Transaction = (SqliteTransaction)transaction;
                command.Parameters.Clear();
                for (var i = 0; i < columns.Length; i++)
                {
                    var property = columns[i];
                    var mapping = (RelationalTypeMapping)property.GetRelationalTypeMapping();
                    command.Parameters.Add(mapping.CreateParameter(command, "@p" + i, Value(entry, property), property.IsNullable));
                }

                if (generatedKey is null)
                {
                    await command.ExecuteNonQueryAsync(ct);
                    return;
                }

                var id = await command.ExecuteScalarAsync(ct);
                entry.Property(generatedKey.Name).CurrentValue = Convert.ChangeType(id, generatedKey.ClrType, System.Globalization.CultureInfo.InvariantCulture);
            }
            finally
            {
                if (!kept)
                {
                    await command.DisposeAsync();
                }
            }
        }
    }
}
