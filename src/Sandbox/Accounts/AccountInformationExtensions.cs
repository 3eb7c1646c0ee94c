using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Accounts;

public static class AccountInformationExtensions
{
    /// <summary>The caches of data calls (consents, pending debits) and their invalidation on every database context.</summary>
    public static IHostApplicationBuilder AddAccountInformation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ConsentAccessCache>();
        builder.Services.AddSingleton<PendingDebitsCache>();
        builder.Services.AddSingleton<Consents.ConsentUsage>();
        builder.Services.AddSingleton<SqliteTransactionPages>();
        builder.Services.AddSingleton<AccountReadInvalidation>();
        builder.Services.ConfigureDbContext<SqliteSandboxDbContext>((services, options) => options.AddInterceptors(services.GetRequiredService<AccountReadInvalidation>()));
        builder.Services.ConfigureDbContext<SqlServerSandboxDbContext>((services, options) => options.AddInterceptors(services.GetRequiredService<AccountReadInvalidation>()));
        return builder;
    }
}
