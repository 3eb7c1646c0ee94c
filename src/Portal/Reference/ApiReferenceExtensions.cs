using Microsoft.Extensions.DependencyInjection.Extensions;
using Polly;

namespace OpenBanking.Portal.Reference;

public static class ApiReferenceExtensions
{
    /// <summary>The API reference: the OpenAPI documents (read once) and the try-it console's HTTP clients.</summary>
    public static IHostApplicationBuilder AddApiReference(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<ApiReferenceOptions>(builder.Configuration.GetSection(ApiReferenceOptions.SectionName));
        builder.Services.AddSingleton<ApiCatalog>();
        builder.Services.AddScoped<ConsoleSession>();
        builder.Services.AddScoped<ApiConsole>();
        builder.Services.AddScoped<ConsoleAccess>();
        builder.Services.AddSingleton<ConsoleRateLimiter>();
        builder.Services.AddSingleton<BrowserAuthorisations>();
        builder.Services.TryAddSingleton(TimeProvider.System);

        AddConsoleClient(builder, ApiConsole.IdentityClientName, "http://identity");
        AddConsoleClient(builder, ApiConsole.GatewayClientName, "http://gateway");
        return builder;
    }

    private static void AddConsoleClient(IHostApplicationBuilder builder, string name, string serviceUrl)
    {
        // No retries: codes, request_uris and consents are single use, so a retried POST would fail or duplicate.
        // No redirects (PAR and authorize answer with the redirect to show), no cookies (the handler is shared by circuits).
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is the documented way to opt out.
        builder.Services.AddHttpClient(name, client => client.BaseAddress = new Uri(serviceUrl))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            .RemoveAllResilienceHandlers()
            .AddResilienceHandler("api-console", pipeline => pipeline.AddTimeout(TimeSpan.FromSeconds(20)));
#pragma warning restore EXTEXP0001
    }
}
