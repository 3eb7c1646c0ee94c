using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Events.Delivery;
using OpenBanking.Sandbox.Events.Dispatch;
using OpenBanking.Sandbox.Signing;

namespace OpenBanking.Sandbox.Events;

public static class EventsRegistration
{
    /// <summary>The bank's signing keys, SETs, callback rules and sender, and the event workers.</summary>
    public static IHostApplicationBuilder AddEvents(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<EventOptions>(builder.Configuration.GetSection(EventOptions.SectionName));
        builder.Services.Configure<SigningOptions>(builder.Configuration.GetSection(SigningOptions.SectionName));
        builder.Services.AddSingleton<BankSigningKeys>();
        builder.Services.AddSingleton<SecurityEventTokens>();
        builder.Services.AddSingleton<EventSignal>();
        builder.Services.AddSingleton<CallbackPolicy>();
        builder.Services.AddProtectedCallbacks();
        builder.Services.AddScoped<Subscriptions.EventSubscriptionService>();
        builder.Services.AddScoped<Polling.EventPolling>();
        // Not from IHttpClientFactory: the platform's defaults add retries, a circuit breaker shared by every partner
        // and service discovery (which could resolve a partner's host name to an internal service). This client has
        // its own rules: CallbackSender.CreateHandler.
        builder.Services.AddSingleton(services => new CallbackSender(
            new HttpClient(CallbackSender.CreateHandler(services.GetRequiredService<CallbackPolicy>(), services.GetRequiredService<IOptions<EventOptions>>().Value))
            {
                Timeout = Timeout.InfiniteTimeSpan,
            },
            services.GetRequiredService<CallbackPolicy>(),
            services.GetRequiredService<IOptions<EventOptions>>()));
        // Singletons first, so tests can drive a pass (DispatchOnceAsync) of the very instances that run. Both stand
        // idle when Events:Workers is false.
        builder.Services.AddSingleton<EventDispatcher>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EventDispatcher>());
        builder.Services.AddSingleton<EventDeliverer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<EventDeliverer>());
        return builder;
    }
}
