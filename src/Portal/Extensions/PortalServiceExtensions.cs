using Microsoft.Extensions.Http.Resilience;
using Polly;
using MudBlazor.Services;
using OpenBanking.Portal.Admin;
using OpenBanking.Portal.Admin.Fraud;
using OpenBanking.Portal.Guides;
using OpenBanking.Portal.Infrastructure;
using OpenBanking.Portal.Partners;
using OpenBanking.Portal.Platform;
using OpenBanking.Portal.Reference;
using OpenBanking.Portal.Services;
using OpenBanking.Shared;
using OpenBanking.ServiceDefaults.Data;
using OpenBanking.ServiceDefaults.DataProtection;

namespace OpenBanking.Portal.Extensions;

internal static class PortalServiceExtensions
{
    public const string ConnectionName = "PortalDb";

    public static IHostApplicationBuilder AddPortalServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        // Issue 22: audit entries, notifications and expired invitations go after a stated retention.
        builder.Services.AddOptions<Retention.PortalRetentionOptions>().BindConfiguration(Retention.PortalRetentionOptions.SectionName)
            .Validate(o => o.SchedulingIsValid && o.AuditDays > 0 && o.NotificationDays > 0 && o.ExpiredInvitationDays >= 0,
                $"{Retention.PortalRetentionOptions.SectionName}: AuditDays, NotificationDays, Interval, RetryDelay and BatchSize must be positive; ExpiredInvitationDays and StartupDelay not negative.")
            .ValidateOnStart();
        builder.Services.AddSingleton<Retention.PortalRetention>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Retention.PortalRetention>());
        builder.AddServiceDatabaseFactory<PortalDbContext, SqlitePortalDbContext, SqlServerPortalDbContext>(ConnectionName);
        builder.AddDataProtectionKeys<PortalDbContext>(PlatformServices.Portal);
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
        builder.Services.Configure<GuideOptions>(builder.Configuration.GetSection(GuideOptions.SectionName));
        builder.Services.AddSingleton<GuideLibrary>();

        builder.AddPlatformClients();
        builder.Services.AddScoped<CurrentPartner>();
        builder.Services.AddScoped<OrganisationService>();
        builder.Services.AddScoped<TeamService>();
        builder.Services.AddScoped<Account.AccountPrivacyService>();
        builder.Services.AddScoped<AppService>();
        builder.Services.AddScoped<IAppSecurity>(services => services.GetRequiredService<AppService>());
        builder.Services.AddScoped<AdminService>();
        builder.Services.AddScoped<SandboxService>();
        builder.Services.AddScoped<ConsentInspectorService>();
        builder.Services.AddScoped<ISandboxClock>(services => services.GetRequiredService<SandboxService>());
        builder.Services.AddScoped<ISandboxCustomers>(services => services.GetRequiredService<SandboxService>());
        builder.Services.AddScoped<ISandboxFx, SandboxFxService>();
        builder.Services.AddScoped<IAppEvents, AppEventsService>();
        builder.Services.AddScoped<ReadinessService>();
        builder.Services.AddScoped<IAppReadiness>(services => services.GetRequiredService<ReadinessService>());
        builder.AddFraudMonitoring();

        return builder;
    }

    /// <summary>
    /// Typed clients for Identity's client API, the Gateway's call log and the Sandbox's tenant API, each carrying the
    /// Portal's own client-credentials token for that service's internal scope (never the user's token).
    /// </summary>
    private static void AddPlatformClients(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<ServiceClientOptions>(builder.Configuration.GetSection(ServiceClientOptions.SectionName));
        builder.Services.AddSingleton<ServiceTokenProvider>();
        builder.Services.AddHttpClient(ServiceTokenProvider.HttpClientName);
        AddInternalClient<IdentityClientsClient>(builder, "http://identity/", PlatformScopes.IdentityClients);
        AddInternalClient<GatewayCallsClient>(builder, "http://gateway/", PlatformScopes.GatewayCalls);
        AddInternalClient<SandboxTenantsClient>(builder, "http://sandbox/", PlatformScopes.SandboxInternal);
        AddInternalClient<SandboxEventsClient>(builder, "http://sandbox/", PlatformScopes.SandboxInternal);
        AddInternalClient<SandboxFxClient>(builder, "http://sandbox/", PlatformScopes.SandboxInternal);
        AddInternalClient<SandboxConsentsClient>(builder, "http://sandbox/", PlatformScopes.SandboxInternal);
        AddInternalClient<IdentityGrantsClient>(builder, "http://identity/", PlatformScopes.IdentityClients);
    }

    /// <summary>
    /// The bank's fraud dashboard (docs/fraud-monitoring.md): one hub long-polls the Sandbox's feed while a dashboard is
    /// open and pushes to every open one. The feed's calls are held open up to 30 s by design, so its client has a
    /// timeout above that and no retries (the hub retries with a back-off) instead of the 10-second attempt timeout.
    /// </summary>
    private static void AddFraudMonitoring(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<FraudMonitoringOptions>(builder.Configuration.GetSection(FraudMonitoringOptions.SectionName));
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way to opt out.
        var fraudClient = builder.Services.AddHttpClient<SandboxFraudClient>(http => http.BaseAddress = new Uri("http://sandbox/"))
            .AddHttpMessageHandler(sp => new ServiceTokenHandler(sp.GetRequiredService<ServiceTokenProvider>(), PlatformScopes.SandboxInternal));
        fraudClient.RemoveAllResilienceHandlers().AddResilienceHandler("fraud-feed", pipeline => pipeline.AddTimeout(TimeSpan.FromSeconds(45)));
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<FraudFeedHub>();
        builder.Services.AddHostedService(services => services.GetRequiredService<FraudFeedHub>());
        builder.Services.AddScoped<IFraudReviews, FraudReviews>();
    }

    /// <summary>
    /// Retries only reads, through the platform's default resilience handler (ServiceDefaults): a retried POST could
    /// register an app twice or rotate a secret twice.
    /// </summary>
    private static void AddInternalClient<TClient>(IHostApplicationBuilder builder, string baseAddress, string scope)
        where TClient : class
    {
        builder.Services.AddHttpClient<TClient>(http => http.BaseAddress = new Uri(baseAddress))
            .AddHttpMessageHandler(sp => new ServiceTokenHandler(sp.GetRequiredService<ServiceTokenProvider>(), scope));
    }
}

/// <summary>Public addresses of the platform that the Portal shows to developers.</summary>
public sealed class PlatformOptions
{
    public const string SectionName = "Platform";

    public Uri IdentityUrl { get; set; } = new("http://localhost:5001/");

    public Uri GatewayUrl { get; set; } = new("http://localhost:5002/");
}
