using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.FunctionalTests.Events;

/// <summary>
/// The Sandbox as the Portal calls it (internal token), allowed to call back to loopback, with a short push timeout so
/// a slow endpoint is found out quickly, and a real receiver on a loopback port.
/// </summary>
public sealed class InternalEventsFixture : IAsyncLifetime
{
    public static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(2);

    public SandboxFactory Factory { get; } = (SandboxFactory)new SandboxFactory()
        .WithSetting("Events:AllowLocalCallbacks", "true")
        .WithSetting("Events:DeliveryTimeout", DeliveryTimeout.ToString());

    public InternalEventsReceiver Receiver { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Receiver = await InternalEventsReceiver.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await Receiver.DisposeAsync();
        await Factory.DisposeAsync();
    }

    /// <summary>A client carrying the Portal's internal token.</summary>
    public HttpClient Internal()
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", SandboxFactory.InternalToken());
        return client;
    }

    public async Task<T> WithDbAsync<T>(Func<SandboxDbContext, Task<T>> work)
    {
        using var scope = Factory.Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<SandboxDbContext>());
    }

    /// <summary>Verifies a SET as a partner does: against the bank's published JWKS, PS256, typ secevent+jwt, issuer and audience.</summary>
    public async Task<TokenValidationResult> ValidateAsPartnerAsync(string set, string audience, CancellationToken ct)
    {
        using var client = Factory.CreateClient();
        var jwks = new JsonWebKeySet(await client.GetStringAsync("/.well-known/jwks.json", ct));
        return await new JsonWebTokenHandler().ValidateTokenAsync(set, new TokenValidationParameters
        {
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidIssuer = "http://localhost:5002",
            ValidAudience = audience,
            ValidAlgorithms = [SecurityAlgorithms.RsaSsaPssSha256],
            ValidTypes = ["secevent+jwt"],
            ValidateLifetime = false,
            RequireExpirationTime = false,
        });
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, CancellationToken ct)
        => await response.Content.ReadFromJsonAsync<JsonElement>(ct);
}
