extern alias identity;
extern alias sandbox;

using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.TestKit;
using Yarp.ReverseProxy.Forwarder;
using IdentityApp = identity::OpenBanking.Identity.IdentityAppMarker;
using SandboxApp = sandbox::OpenBanking.Sandbox.SandboxAppMarker;
using SandboxClient = identity::OpenBanking.Identity.Platform.SandboxClient;
using AppSecurityDirectory = sandbox::OpenBanking.Sandbox.Platform.IdentityAppSecurityDirectory;

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
        _limited = new Lazy<LimitedGatewayFactory>(() => new LimitedGatewayFactory(this));

        // Started now, in dependency order, on this thread: a factory starts its host on first use and is not safe
        // to start from two threads — and the gateway's health probe would otherwise start the Sandbox (and that
        // the Identity) on a timer thread while a test starts them too.
        _ = Identity.Server;
        _ = Sandbox.Server;
        _ = Gateway.Server;
    }

    private readonly Lazy<StoppedBankGatewayFactory> _stopped;
    private readonly Lazy<LimitedGatewayFactory> _limited;
    private Lazy<SampledLintGatewayFactory>? _sampled;

    /// <summary>A second gateway whose spec lint samples out every call after the first (see the factory).</summary>
    public SampledLintGatewayFactory SampledLintGateway => (_sampled ??= new(() => new SampledLintGatewayFactory(this))).Value;

    /// <summary>
    /// A second gateway with a small per-address limit (3 requests, one more an hour) whose callers say their address
    /// in <see cref="LimitedGatewayFactory.AddressHeader"/>, counting the bearer handler's runs per address.
    /// </summary>
    public LimitedGatewayFactory LimitedGateway => _limited.Value;

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

        if (_limited.IsValueCreated)
        {
            _limited.Value.Dispose();
        }

        if (_sampled?.IsValueCreated == true)
        {
            _sampled.Value.Dispose();
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
            builder.ConfigureTestServices(services =>
            {
                services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
                    options => options.Backchannel = new HttpClient(platform.Identity.Server.CreateHandler()));
                // The apps' message-signing keys and flags come from the real Identity (its security endpoint, with the
                // sandbox-service token), over its in-memory server.
                services.AddHttpClient(AppSecurityDirectory.HttpClientName)
                    .ConfigurePrimaryHttpMessageHandler(() => platform.Identity.Server.CreateHandler());
            });
        }
    }

    public sealed class GatewayFactory(GatewayPlatform platform) : ServiceFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            WithSetting("Gateway:RateLimits:accounts:TokenLimit", "10000");
            WithSetting("Gateway:RateLimits:accounts:TokensPerSecond", "10000");
            WithSetting("Gateway:RateLimits:payments:TokenLimit", "10000");
            WithSetting("Gateway:RateLimits:payments:TokensPerSecond", "10000");
            WithSetting("Gateway:RateLimits:fundsconfirmations:TokenLimit", "2");
            WithSetting("Gateway:RateLimits:fundsconfirmations:TokensPerSecond", "1");
            WithSetting("Gateway:MaxRequestBodyBytes", "4096");
            // Every in-memory request has the same (no) address: the per-address limit has its own gateway below.
            WithSetting("Gateway:RateLimits:PerAddress:TokenLimit", "1000000");
            WithSetting("Gateway:RateLimits:PerAddress:TokensPerPeriod", "1000000");
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
                    options => options.Backchannel = new HttpClient(platform.Identity.Server.CreateHandler()));
                services.AddSingleton<IForwarderHttpClientFactory>(new ToSandbox(platform));
                services.AddSingleton<TimeProvider>(platform.GatewayClock);
            });
        }
    }

    /// <summary>
    /// A second gateway whose spec lint takes one call a second, on a clock that stands still (its timers run): after the
    /// first call every other is sampled out.
    /// </summary>
    public sealed class SampledLintGatewayFactory(GatewayPlatform platform) : ServiceFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            WithSetting("Gateway:SpecLint:MaxPerSecond", "1");
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
                    options => options.Backchannel = new HttpClient(platform.Identity.Server.CreateHandler()));
                services.AddSingleton<IForwarderHttpClientFactory>(new ToSandbox(platform));
                services.AddSingleton<TimeProvider>(new StillClock(DateTimeOffset.UtcNow));
            });
        }

        private sealed class StillClock(DateTimeOffset now) : TimeProvider
        {
            public override DateTimeOffset GetUtcNow() => now;
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

    public sealed class LimitedGatewayFactory(GatewayPlatform platform) : ServiceFactory<Program>
    {
        public const string AddressHeader = "X-Test-Remote-Address";

        /// <summary>How often the bearer handler looked at a request, by the caller's address.</summary>
        public ConcurrentDictionary<string, int> Authentications { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            WithSetting("Gateway:RateLimits:PerAddress:TokenLimit", "3");
            WithSetting("Gateway:RateLimits:PerAddress:TokensPerPeriod", "1");
            WithSetting("Gateway:RateLimits:PerAddress:ReplenishmentPeriod", "01:00:00");
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<IStartupFilter, AddressFromHeader>();
                services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
                {
                    options.Backchannel = new HttpClient(platform.Identity.Server.CreateHandler());
                    options.Events ??= new JwtBearerEvents();
                    options.Events.OnMessageReceived = context =>
                    {
                        Authentications.AddOrUpdate(context.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "none", 1, (_, n) => n + 1);
                        return Task.CompletedTask;
                    };
                });
                services.AddSingleton<IForwarderHttpClientFactory>(new ToSandbox(platform));
            });
        }

        /// <summary>In memory there is no connection: the test names the caller's address, as a socket would.</summary>
        private sealed class AddressFromHeader : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use((context, nextMiddleware) =>
                {
                    if (context.Request.Headers.TryGetValue(AddressHeader, out var address))
                    {
                        context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                    }

                    return nextMiddleware(context);
                });
                next(app);
            };
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
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Headers.TryGetValues("x-fapi-interaction-id", out var ids))
            {
                platform.Forwarded[ids.First()] = request.Headers;
            }

            var response = await base.SendAsync(request, cancellationToken);
            // A bank refusal's internal headers, as the Sandbox sends them (rule|reason), for the gateway to log and strip.
            if (request.Headers.TryGetValues(BankRefusalHeader, out var refusal) && refusal.First().Split('|', 2) is [var rule, var reason])
            {
                // In place of whatever the real Sandbox said, so a test controls the exact values.
                response.Headers.Remove(global::OpenBanking.Shared.PlatformHeaders.RefusalRule);
                response.Headers.Remove(global::OpenBanking.Shared.PlatformHeaders.RefusalReason);
                response.Headers.TryAddWithoutValidation(global::OpenBanking.Shared.PlatformHeaders.RefusalRule, rule);
                response.Headers.TryAddWithoutValidation(global::OpenBanking.Shared.PlatformHeaders.RefusalReason, reason);
            }

            return response;
        }
    }

    /// <summary>Test only: <c>rule|reason</c> the bank's answer should carry in its internal refusal headers.</summary>
    public const string BankRefusalHeader = "x-test-bank-refusal";

    /// <summary>The gateway's clock: real time, moved forward by tests that need time to pass (a Retry-After waited out).</summary>
    public MovableClock GatewayClock { get; } = new();

    /// <summary>Real time plus an offset that only grows.</summary>
    public sealed class MovableClock : TimeProvider
    {
        private long _offsetTicks;

        public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

        public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
    }
}
