using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Shared;
using OpenIddict.Server;

namespace OpenBanking.Identity.Platform;

/// <summary>
/// Access tokens for Identity's own calls to other services (client <c>identity-service</c>). Identity is the issuer,
/// so it signs them with its own signing key instead of calling its token endpoint over the network; the receiving
/// service validates them exactly like any other token (issuer, JWKS, audience, type, scope). Cached until a minute
/// before expiry.
/// </summary>
public sealed class ServiceTokens(IOptionsMonitor<OpenIddictServerOptions> server, TimeProvider clock)
{
    public const string ClientId = "identity-service";
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, (string Token, DateTimeOffset RenewAt)> _tokens = new(StringComparer.Ordinal);

    public string Get(string scope, string audience)
    {
        var key = audience + " " + scope;
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (_tokens.TryGetValue(key, out var cached) && cached.RenewAt > now)
            {
                return cached.Token;
            }
        }

        var options = server.CurrentValue;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            TokenType = "at+jwt",
            Issuer = options.Issuer!.AbsoluteUri,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + Lifetime).UtcDateTime,
            SigningCredentials = options.SigningCredentials[0],
            Subject = new ClaimsIdentity(
            [
                new Claim("sub", ClientId),
                new Claim("client_id", ClientId),
                new Claim("scope", scope),
                new Claim("jti", Guid.NewGuid().ToString("N")),
            ]),
        });
        lock (_lock)
        {
            _tokens[key] = (token, now + Lifetime - TimeSpan.FromMinutes(1));
        }

        return token;
    }

    /// <summary>Adds the Sandbox-internal token to every request of the typed client.</summary>
    public sealed class SandboxHandler(ServiceTokens tokens) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new("Bearer", tokens.Get(PlatformScopes.SandboxInternal, PlatformClaims.SandboxAudience));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
