using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Accounts.V3_1;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Accounts;

public static class AccountInformationExtensions
{
    /// <summary>The consent cache of data calls, its invalidation on every database context, and the payloads' serializers.</summary>
    public static IHostApplicationBuilder AddAccountInformation(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ConsentAccessCache>();
        builder.Services.AddSingleton<ConsentCacheInvalidation>();
        builder.Services.ConfigureDbContext<SqliteSandboxDbContext>((services, options) => options.AddInterceptors(services.GetRequiredService<ConsentCacheInvalidation>()));
        builder.Services.ConfigureDbContext<SqlServerSandboxDbContext>((services, options) => options.AddInterceptors(services.GetRequiredService<ConsentCacheInvalidation>()));
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, AisJsonContext.Default));
        return builder;
    }
}
