using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace OpenBanking.ServiceDefaults.Encryption;

/// <summary>Registers the <see cref="ColumnProtector"/> and the key rotation.</summary>
/// <remarks>
/// Services protect values explicitly (a user store, a small per-datum helper) rather than with EF value converters:
/// a converter would hold this host's protector inside the EF model, which EF caches per context type and compiled
/// queries are bound to, so several hosts in one process (tests) would share one host's keys.
/// </remarks>
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
}
