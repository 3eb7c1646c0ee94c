using OpenBanking.Sandbox.Accounts;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Customers;
using OpenBanking.Sandbox.Events;
using OpenBanking.Sandbox.Fraud;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Internal;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payee;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Payments.Scheduled;
using OpenBanking.Sandbox.Payments.Screening;
using OpenBanking.Sandbox.Payments.International;
using OpenBanking.Sandbox.Fx;
using OpenBanking.Sandbox.Tenancy;
using OpenBanking.ServiceDefaults.Data;
using OpenBanking.ServiceDefaults.DataProtection;
using OpenBanking.ServiceDefaults.Encryption;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Extensions;

internal static class SandboxServiceExtensions
{
    public const string ConnectionName = "SandboxDb";

    public static IHostApplicationBuilder AddSandboxServices(this IHostApplicationBuilder builder)
    {
        // Real time (token lifetimes, timers); each tenant's bank reads its own test clock (TenantClock, TenantClocks).
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<TenantClocks>();
        builder.Services.AddScoped<TenantClock>();
        builder.Services.AddScoped<ClockAdvance>();
        builder.Services.AddHostedService<ClockWorker>();
        // Issue 22: ended consents and their history are deleted after a stated retention (Retention/SandboxRetention).
        builder.Services.AddOptions<Retention.SandboxRetentionOptions>().BindConfiguration(Retention.SandboxRetentionOptions.SectionName)
            .Validate(o => o.SchedulingIsValid && o.EndedConsentDays > 0,
                $"{Retention.SandboxRetentionOptions.SectionName}: EndedConsentDays, Interval, RetryDelay and BatchSize must be positive, StartupDelay not negative.")
            .ValidateOnStart();
        builder.Services.AddSingleton<Retention.SandboxRetention>();
        builder.Services.AddHostedService(services => services.GetRequiredService<Retention.SandboxRetention>());
        var database = builder.AddServiceDatabase<SandboxDbContext, SqliteSandboxDbContext, SqlServerSandboxDbContext>(ConnectionName, pooled: true);
        builder.AddDataProtectionKeys<SandboxDbContext>(PlatformServices.Sandbox);
        builder.AddColumnProtection();
        // Versions, status times and the outbox are written by every save, whichever provider is configured.
        builder.Services.AddSingleton<DomainChangesInterceptor>();
        builder.Services.ConfigureDbContext<SqliteSandboxDbContext>((services, options) => options.AddInterceptors(services.GetRequiredService<DomainChangesInterceptor>()));
        builder.Services.ConfigureDbContext<SqlServerSandboxDbContext>((services, options) => options.AddInterceptors(services.GetRequiredService<DomainChangesInterceptor>()));
        // The group committer's connection keeps its statements prepared (SQLite only; SQL Server caches plans itself).
        builder.Services.AddSingleton<ReusedStatements>();
        builder.Services.AddSingleton<WriterInserts>();
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            // WriterInserts after DomainChangesInterceptor (above): the rows that one adds are written too.
            builder.Services.ConfigureDbContext<SqliteSandboxDbContext>((services, options) => options.AddInterceptors(
                new SqlitePragmas(), services.GetRequiredService<ReusedStatements>(), services.GetRequiredService<WriterInserts>()));
        }
        builder.AddSandboxAuthentication();
        builder.AddAccountInformation();

        builder.Services.Configure<OpenBankingOptions>(builder.Configuration.GetSection(OpenBankingOptions.SectionName));
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = ObieApi.JsonOptions.PropertyNamingPolicy;
            options.SerializerOptions.DefaultIgnoreCondition = ObieApi.JsonOptions.DefaultIgnoreCondition;
            options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        });
        builder.Services.AddExceptionHandler<ObieExceptionHandler>();
        builder.Services.AddScoped<TenantService>();
        builder.Services.AddScoped<Customers.Custom.CustomCustomers>();
        builder.Services.Configure<GeneratorOptions>(builder.Configuration.GetSection(GeneratorOptions.SectionName));
        builder.Services.Configure<SandboxOptions>(builder.Configuration.GetSection(SandboxOptions.SectionName));
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddSingleton(services => TotpSecrets.Load(services.GetRequiredService<IConfiguration>(), contentRoot, services.GetRequiredService<KeyEncryptionKey>()));

        builder.AddEvents();
        builder.AddPayments();
        builder.AddScheduledPayments();
        builder.AddFx();
        builder.AddCreditorScreening();
        builder.AddFraudScreening();
        builder.Services.AddSingleton<IFraudFeedSignal, FraudFeedSignal>();
        builder.AddConfirmationOfPayee();
        builder.AddInternationalPayments();
        builder.AddMessageSigning();

        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddScoped<IDatabaseSeeder<SandboxDbContext>, SandboxSeeder>();
        }

        return builder;
    }

    /// <summary>The service's root: what it is and where its APIs are, instead of a bare 404.</summary>
    public static IEndpointRouteBuilder MapSandboxInfo(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", () => TypedResults.Ok(new
        {
            Service = "OpenBanking.Sandbox",
            Description = "The sandbox bank behind the gateway. Partners call it through the gateway, not directly.",
            Health = "/health",
        })).ExcludeFromDescription();
        return app;
    }
}
