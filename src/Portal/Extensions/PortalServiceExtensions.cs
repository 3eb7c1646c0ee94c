using Polly;
using MudBlazor.Services;
using OpenBanking.Portal.Infrastructure;
using OpenBanking.Portal.Reference;
using OpenBanking.Portal.Services;
using OpenBanking.ServiceDefaults.Data;

namespace OpenBanking.Portal.Extensions;

internal static class PortalServiceExtensions
{
    public const string ConnectionName = "PortalDb";

    public static IHostApplicationBuilder AddPortalServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddServiceDatabase<PortalDbContext, SqlitePortalDbContext, SqlServerPortalDbContext>(ConnectionName);
        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddScoped<IDatabaseSeeder<PortalDbContext>, PortalSeeder>();
        }

        builder.Services.AddRazorComponents()
            .AddInteractiveServerComponents();
        builder.Services.AddMudServices();

        builder.Services.Configure<PlatformOptions>(builder.Configuration.GetSection(PlatformOptions.SectionName));

        // A status probe must answer fast: one short attempt, no retries (the defaults retry for 30 s).
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way to opt out.
        builder.Services.AddHttpClient(PlatformStatus.HttpClientName)
            .RemoveAllResilienceHandlers()
            .AddResilienceHandler("status", pipeline => pipeline.AddTimeout(TimeSpan.FromSeconds(3)));
#pragma warning restore EXTEXP0001
        builder.Services.AddScoped<PlatformStatus>();
        builder.AddApiReference();

        return builder;
    }
}

/// <summary>Public addresses of the platform that the Portal shows to developers.</summary>
public sealed class PlatformOptions
{
    public const string SectionName = "Platform";

    public Uri IdentityUrl { get; set; } = new("http://localhost:5001/");

    public Uri GatewayUrl { get; set; } = new("http://localhost:5002/");
}
