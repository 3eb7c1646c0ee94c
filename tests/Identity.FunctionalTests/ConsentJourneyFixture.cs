extern alias sandbox;

using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using OpenBanking.Identity.Platform;
using OpenBanking.TestKit;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>
/// Identity and the Sandbox, each in memory on its own SQLite database, talking over HTTP to each other: Identity
/// drives the consent journey through the Sandbox's internal endpoints, the Sandbox validates Identity's tokens
/// against its discovery document and JWKS. One pair per test class.
/// </summary>
public sealed class ConsentJourneyFixture : IDisposable
{
    public ConsentJourneyFixture()
    {
        Sandbox = new SandboxFactory(this);
        Identity = new IdentityFactory(this);

        // Started now, on this thread: each calls the other lazily, and a factory is not safe to start from two threads.
        _ = Identity.Server;
        _ = Sandbox.Server;
    }

    public IdentityFactory Identity { get; }

    public SandboxFactory Sandbox { get; }

    /// <summary>Identity's clock for OpenIddict (code, request_uri and token lifetimes): real time plus an offset.</summary>
    public MovableClock Clock { get; } = new();

    /// <summary>Faults a test may inject between Identity and the Sandbox, or in Identity's database (none by default).</summary>
    public SandboxFaults Faults { get; } = new();

    /// <summary>A wallet app against this pair: Identity for OAuth, the Sandbox as the bank.</summary>
    public Wallet Wallet(string clientId = "demo-wallet", string secret = "demo-wallet-secret") => new(
        () => Identity.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }),
        () => Sandbox.CreateClient(),
        clientId,
        secret);

    public void Dispose()
    {
        Identity.Dispose();
        Sandbox.Dispose();
    }

    public sealed class IdentityFactory(ConsentJourneyFixture pair) : ServiceFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.AddHttpClient<SandboxClient>().ConfigurePrimaryHttpMessageHandler(
                    () => new SandboxFaults.Handler(pair.Faults) { InnerHandler = pair.Sandbox.Server.CreateHandler() });
                services.ConfigureDbContext<Infrastructure.SqliteIdentityDbContext>(options => options.AddInterceptors(pair.Faults.Interceptor));
                services.Configure<OpenIddictServerOptions>(options => options.TimeProvider = pair.Clock);
                // Retries of reads as in production, without the seconds of back-off between them.
                services.ConfigureAll<HttpStandardResilienceOptions>(options => options.Retry.Delay = TimeSpan.Zero);
            });
        }
    }

    public sealed class SandboxFactory(ConsentJourneyFixture pair) : ServiceFactory<sandbox::OpenBanking.Sandbox.SandboxAppMarker>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
                    options => options.Backchannel = new HttpClient(pair.Identity.Server.CreateHandler()));
                // Apps' message-signing settings from this Identity's security endpoint (sandbox-service token).
                services.AddHttpClient(sandbox::OpenBanking.Sandbox.Platform.IdentityAppSecurityDirectory.HttpClientName)
                    .ConfigurePrimaryHttpMessageHandler(() => pair.Identity.Server.CreateHandler());
            });
        }
    }
}

public sealed class MovableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}

/// <summary>
/// Failures a test switches on: calls from Identity to the Sandbox that fail (as a network error or a 503) before
/// reaching it, and Identity's database refusing to save an OpenIddict authorization. Counts every Sandbox call.
/// </summary>
public sealed class SandboxFaults
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _calls = new();

    /// <summary>Calls matching this never reach the Sandbox; Identity sees a 503.</summary>
    public Func<HttpRequestMessage, bool>? Unavailable { get; set; }

    public bool FailSavingAuthorizations { get; set; }

    /// <summary>
    /// When set, every consent the Sandbox's internal API returns carries this <c>apiVersion</c> (as it does once
    /// consents record the Open Banking version they were created through): Identity must tolerate it and show it nowhere.
    /// </summary>
    public string? ConsentApiVersion { get; set; }

    /// <summary>Consents of the kinds this branch's Sandbox does not serve yet, answered in its place (see <see cref="FakeConsents"/>).</summary>
    public FakeConsents Fakes { get; } = new();

    /// <summary>Every call Identity made to the Sandbox, as "METHOD /path".</summary>
    public IReadOnlyCollection<string> Calls => _calls;

    public SaveChangesInterceptor Interceptor => new FailingSave(this);

    internal sealed class Handler(SandboxFaults faults) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            faults._calls.Enqueue($"{request.Method} {request.RequestUri!.AbsolutePath}");
            if (faults.Unavailable?.Invoke(request) == true)
            {
                return new HttpResponseMessage(System.Net.HttpStatusCode.ServiceUnavailable) { RequestMessage = request };
            }

            if (await faults.Fakes.AnswerAsync(request, () => base.SendAsync(request, cancellationToken), cancellationToken) is { } faked)
            {
                return faked;
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (faults.ConsentApiVersion is { } version && response.IsSuccessStatusCode && request.RequestUri.AbsolutePath.Contains("/consents", StringComparison.Ordinal)
                && System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken)) is { } body)
            {
                foreach (var consent in body is System.Text.Json.Nodes.JsonArray list ? list.OfType<System.Text.Json.Nodes.JsonObject>() : [body.AsObject()])
                {
                    consent["apiVersion"] = version;
                }

                response.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
            }

            return response;
        }
    }

    private sealed class FailingSave(SandboxFaults faults) : SaveChangesInterceptor
    {
        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
            DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
            => faults.FailSavingAuthorizations && eventData.Context!.ChangeTracker.Entries<OpenIddictEntityFrameworkCoreAuthorization>().Any(e => e.State == EntityState.Added)
                ? throw new DbUpdateException("Injected: the authorization could not be saved.")
                : base.SavingChangesAsync(eventData, result, cancellationToken);
    }
}
