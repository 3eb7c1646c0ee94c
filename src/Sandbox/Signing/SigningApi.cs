using Microsoft.Extensions.Options;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Signing;

/// <summary>
/// The bank's public signing keys at <c>/.well-known/jwks.json</c> (anonymous; the gateway publishes it at the same path),
/// and the internal rotation command.
/// </summary>
public static class SigningApi
{
    public const string JwksPath = "/.well-known/jwks.json";

    public static IEndpointRouteBuilder MapSigningApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(JwksPath, async (BankSigningKeys keys, IOptions<SigningOptions> options, HttpContext context, CancellationToken cancellationToken) =>
        {
            var document = await keys.JwksAsync(cancellationToken);
            context.Response.Headers.CacheControl = $"public, max-age={(int)options.Value.JwksMaxAge.TotalSeconds}";
            return Results.Json(document, contentType: "application/jwk-set+json");
        }).AllowAnonymous().WithTags("Signing");

        var internalKeys = app.MapGroup("/internal/signing-keys").WithTags("Internal").RequireAuthorization(PlatformScopes.SandboxInternal);
        internalKeys.MapGet("/", async (BankSigningKeys keys, CancellationToken cancellationToken)
            => TypedResults.Ok((await keys.ListAsync(cancellationToken)).Select(KeyView.From)));
        internalKeys.MapPost("/rotate", async (BankSigningKeys keys, bool? immediately, CancellationToken cancellationToken)
            => TypedResults.Ok(KeyView.From(await keys.RotateAsync(immediately ?? false, cancellationToken))));
        return app;
    }

    /// <summary>A key's public facts and dates (never its private half).</summary>
    public sealed record KeyView(string Kid, string Algorithm, DateTime CreatedAt, DateTime ActivatesAt, DateTime? SupersededAt, DateTime? UnpublishAt)
    {
        public static KeyView From(BankSigningKey key) => new(key.Kid, key.Algorithm, key.CreatedAt, key.ActivatesAt, key.SupersededAt, key.UnpublishAt);
    }
}
