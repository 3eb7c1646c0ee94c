using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace OpenBanking.ServiceDefaults.Encryption;

/// <summary>
/// A protected column re-encrypted with plain SQL, needing no entity type: rows are read by key in batches, and each is rewritten
/// only if it still holds what was read (<c>UPDATE … WHERE key = @k AND column = @old</c>), so a concurrent write wins
/// and a second run skips what is done. The SQL is portable (SQLite and SQL Server); EF adds the paging.
/// </summary>
public sealed class SqlProtectedColumn<TContext, TKey>(string table, string keyColumn, string valueColumn, string purpose)
    : IProtectedStore
    where TContext : DbContext
{
    /// <inheritdoc />
    public string Name => $"{table}.{valueColumn}";

    /// <inheritdoc />
    public async Task ReencryptAsync(Reencryption reencryption, IServiceProvider services, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reencryption);
        var db = services.GetRequiredService<TContext>();
        var tally = reencryption.Tally(Name);
        var prefix = reencryption.CurrentPrefix;
        // Table and column names are the service's own constants, never input: only values are parameters.
#pragma warning disable EF1002
        var rows = db.Database.SqlQueryRaw<StoredValue<TKey>>($"SELECT {keyColumn} AS RowId, {valueColumn} AS Stored FROM {table}")
            .Where(r => r.Stored != null && !r.Stored.StartsWith(prefix));
#pragma warning restore EF1002
        var hasLast = false;
        TKey last = default!;
        while (true)
        {
            var batch = await (hasLast ? rows.Where(After(last)) : rows).OrderBy(r => r.RowId).Take(reencryption.BatchSize).ToListAsync(ct);
            foreach (var row in batch)
            {
                if (reencryption.Rewrap(tally, purpose, row.Stored!) is { } rewrapped)
                {
#pragma warning disable EF1002
                    var written = await db.Database.ExecuteSqlRawAsync(
                        $"UPDATE {table} SET {valueColumn} = {{0}} WHERE {keyColumn} = {{1}} AND {valueColumn} = {{2}}",
                        [rewrapped, row.RowId!, row.Stored!], ct);
#pragma warning restore EF1002
                    Reencryption.Written(tally, row.Stored!, written == 1);
                }
            }

            if (batch.Count < reencryption.BatchSize)
            {
                return;
            }

            last = batch[^1].RowId;
            hasLast = true;
        }
    }

    // RowId > last, for numbers and strings alike (string.Compare translates to a comparison in SQL).
    private static Expression<Func<StoredValue<TKey>, bool>> After(TKey last)
    {
        var row = Expression.Parameter(typeof(StoredValue<TKey>), "r");
        var id = Expression.Property(row, nameof(StoredValue<TKey>.RowId));
        var value = Expression.Property(Expression.Constant(new Boxed(last)), nameof(Boxed.Value));
        Expression greater = typeof(TKey) == typeof(string)
            ? Expression.GreaterThan(
                Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, id, value),
                Expression.Constant(0))
            : Expression.GreaterThan(id, value);
        return Expression.Lambda<Func<StoredValue<TKey>, bool>>(greater, row);
    }

    // A member access, so EF makes the bound a parameter rather than a literal.
    private sealed class Boxed(TKey value)
    {
        public TKey Value { get; } = value;
    }
}

/// <summary>A row's key and stored (protected or legacy) value, as read by <see cref="SqlProtectedColumn{TContext, TKey}"/>.</summary>
public sealed class StoredValue<TKey>
{
    /// <summary>The row's key.</summary>
    public TKey RowId { get; init; } = default!;

    /// <summary>The column as stored.</summary>
    public string? Stored { get; init; }
}
