using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace OpenBanking.ServiceDefaults.Encryption;

/// <summary>Registers the <see cref="ColumnProtector"/> and maps EF Core columns through it.</summary>
public static class ColumnProtection
{
    /// <summary>
    /// Adds the <see cref="ColumnProtector"/> (needs the Data Protection keys: <c>AddDataProtectionKeys</c>) and the
    /// <c>rotate-keys</c> command's runner; services add their <see cref="IProtectedStore"/>s.
    /// </summary>
    public static IHostApplicationBuilder AddColumnProtection(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton<ColumnProtector>();
        builder.Services.TryAddSingleton<ColumnKeyRotation>();
        return builder;
    }

    /// <summary>
    /// The protector of the application <paramref name="context"/> belongs to; null at design time (migrations), where
    /// no conversion is needed since a protected column is a string column either way.
    /// </summary>
    public static ColumnProtector? ProtectorOf(DbContext context)
        => context.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider?.GetService<ColumnProtector>();

    /// <summary>
    /// Stores the property encrypted for <paramref name="purpose"/> (reads legacy plaintext as it is). The model then
    /// holds this host's protector, so it is cached per protector (<see cref="ColumnProtectionModelCacheKeyFactory"/>):
    /// several hosts in one process (tests) each keep their own keys. Equality in a query compares ciphertexts, which
    /// differ for equal plaintexts: never filter on a protected column.
    /// </summary>
    public static PropertyBuilder<string> IsProtected(this PropertyBuilder<string> property, ColumnProtector? protector, string purpose)
    {
        ArgumentNullException.ThrowIfNull(property);
        return protector is null
            ? property
            : property.HasConversion(new ValueConverter<string, string>(v => protector.Protect(purpose, v), v => protector.Unprotect(purpose, v)));
    }
}

/// <summary>Caches a context's model per <see cref="ColumnProtector"/>, since protected columns' converters hold one.</summary>
public sealed class ColumnProtectionModelCacheKeyFactory : IModelCacheKeyFactory
{
    /// <inheritdoc />
    public object Create(DbContext context, bool designTime)
        => (context.GetType(), designTime, ColumnProtection.ProtectorOf(context) as object ?? typeof(ColumnProtector));
}
