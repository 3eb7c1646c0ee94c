extern alias identity;
extern alias sandbox;

using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.TestKit;
using Yarp.ReverseProxy.Forwarder;
using IdentityApp = identity::OpenBanking.Identity.IdentityAppMarker;
using SandboxApp = sandbox::OpenBanking.Sandbox.SandboxAppMarker;
using SandboxClient = identity::OpenBanking.Identity.Sandbox.SandboxClient;

namespace OpenBanking.Gateway.FunctionalTests;

/// <summary>
/// The gateway with the real Identity and the real Sandbox, each in memory on its own SQLite database: tokens come
/// from Identity's token endpoint (and its consent journey), the gateway and the Sandbox validate them against
/// Identity's JWKS, and YARP forwards to the Sandbox's server. The requests the Sandbox received are kept, so tests
/// see which headers got through.
/// </summary>
public sealed class GatewayPlatform : IDisposable
{
    public GatewayPlatform()
    {
        Identity = new IdentityFactory(this);
        Sandbox = new SandboxFactory(this);
        Gateway = new GatewayFactory(this);
        _stopped = new Lazy<StoppedBankGatewayFactory>(() => new StoppedBankGatewayFactory(this));

        // Started now, in dependency order, on this thread: a factory starts its host on first use and is not safe
        // to start from two threads — and the gateway's health probe would otherwise start the Sandbox (and that
        // the Identity) on a timer thread while a test starts them too.
        _ = Identity.Server;
        _ = Sandbox.Server;
        _ = Gateway.Server;
    }

    private readonly Lazy<StoppedBankGatewayFactory> _stopped;

    /// <summary>A second gateway whose bank is not running: its destination is a closed local port, reached over real TCP.</summary>
    public StoppedBankGatewayFactory StoppedBankGateway => _stopped.Value;

    public IdentityFactory Identity { get; }

    public SandboxFactory Sandbox { get; }

    public GatewayFactory Gateway { get; }

    /// <summary>Headers of the requests the gateway forwarded, by interaction id.</summary>
    public ConcurrentDictionary<string, HttpRequestHeaders> Forwarded { get; } = new();

    public Wallet Wallet(string clientId = "demo-wallet", string secret = "demo-wallet-secret") => new(
        () => Identity.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }),
        () => Gateway.CreateClient(),
        clientId,
        secret);

    public void Dispose()
    {
        if (_stopped.IsValueCreated)
        {
            _stopped.Value.Dispose();
        }

        Gateway.Dispose();
        Sandbox.Dispose();
        Identity.Dispose();
    }

    public sealed class IdentityFactory(GatewayPlatform platform) : ServiceFactory<IdentityApp>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
                services.AddHttpClient<SandboxClient>().ConfigurePrimaryHttpMessageHandler(() => platform.Sandbox.Server.CreateHandler()));
        }
    }

    public sealed class SandboxFactory(GatewayPlatform platform) : ServiceFactory<SandboxApp>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
                options => options.Backchannel = new HttpClient(platform.Identity.Server.CreateHandler())));
        }
    }

    public sealed class GatewayFactory(GatewayPlatform platform) : ServiceFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            WithSetting("Gateway:RateLimits:accounts:TokenLimit", "10000");
            WithSetting("Gateway:RateLimits:accounts:TokensPerSecond", "10000");
            WithSetting("Gateway:RateLimits:fundsconfirmations:TokenLimit", "2");
            WithSetting("Gateway:RateLimits:fundsconfirmations:TokensPerSecond", "1");
            WithSetting("Gateway:MaxRequestBodyBytes", "4096");
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
                    options => options.Backchannel = new HttpClient(platform.Identity.Server.CreateHandler()));
                services.AddSingleton<IForwarderHttpClientFactory>(new ToSandbox(platform));
            });
        }
    }

    public sealed class StoppedBankGatewayFactory(GatewayPlatform platform) : ServiceFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            WithSetting("ReverseProxy:Clusters:sandbox:Destinations:sandbox:Address", "http://127.0.0.1:9");
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
                options => options.Backchannel = new HttpClient(platform.Identity.Server.CreateHandler())));
        }
    }

    /// <summary>YARP's outgoing client, pointed at the Sandbox's in-memory server, noting what it sends.</summary>
    private sealed class ToSandbox(GatewayPlatform platform) : IForwarderHttpClientFactory
    {
        public HttpMessageInvoker CreateClient(ForwarderHttpClientContext context)
            => new(new Recorder(platform) { InnerHandler = platform.Sandbox.Server.CreateHandler() });
    }

    private sealed class Recorder(GatewayPlatform platform) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.TryGetValues("x-fapi-interaction-id", out var ids))
            {
                platform.Forwarded[ids.First()] = request.Headers;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
