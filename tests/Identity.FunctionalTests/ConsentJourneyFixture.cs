extern alias sandbox;

using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Identity.Sandbox;
using OpenBanking.TestKit;
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
                services.AddHttpClient<SandboxClient>().ConfigurePrimaryHttpMessageHandler(() => pair.Sandbox.Server.CreateHandler());
                services.Configure<OpenIddictServerOptions>(options => options.TimeProvider = pair.Clock);
            });
        }
    }

    public sealed class SandboxFactory(ConsentJourneyFixture pair) : ServiceFactory<sandbox::OpenBanking.Sandbox.SandboxAppMarker>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
                options => options.Backchannel = new HttpClient(pair.Identity.Server.CreateHandler())));
        }
    }
}

public sealed class MovableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
}
