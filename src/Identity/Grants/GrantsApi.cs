using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Identity.Clients;
using OpenBanking.Identity.Consents;
using OpenBanking.Identity.Extensions;
using OpenBanking.Identity.Infrastructure;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenBanking.Identity.Grants;

/// <summary>
/// What Identity knows of a consent's authorisation and of an app's token use, for the Portal's consent inspector and
/// readiness report (scope <c>identity.clients.read</c> or <c>identity.clients</c>). Always for one app: a consent of
/// another app is not found. Never a token's value.
/// </summary>
public static class GrantsApi
{
    public static IEndpointRouteBuilder MapGrantsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/internal/consents/{consentId}/grants", GetConsentGrantAsync)
            .RequireAuthorization(ClientManagementExtensions.ReadPolicyName)
            .WithTags("Grants")
            .WithName("GetConsentGrant")
            .WithSummary("A consent's authorisation: the customer's journey through the pages, and the tokens issued under it")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem();

        app.MapGet("/internal/clients/{clientId}/token-activity", GetTokenActivityAsync)
            .RequireAuthorization(ClientManagementExtensions.ReadPolicyName)
            .WithTags("Grants")
            .WithName("GetTokenActivity")
            .WithSummary("An app's code exchanges, refresh grants and revocations since a time (default: 30 days)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem();

        return app;
    }

    public static async Task<Results<Ok<ConsentGrantResponse>, ProblemHttpResult, ValidationProblem>> GetConsentGrantAsync(
        string consentId, string? clientId, IdentityDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(clientId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["clientId"] = ["Name the app (clientId) the consent belongs to."] });
        }

        var journey = await db.ConsentJourneySteps.AsNoTracking()
            .Where(s => s.ConsentId == consentId && s.ClientId == clientId)
            .OrderBy(s => s.Id)
            .Select(s => new { s.At, s.Step, s.Page, s.Detail })
            .ToListAsync(ct);

        // The authorization remembers its consent in its properties (ConsentGrants.ConsentIdProperty): narrowed in the
        // database by a text match, then checked exactly.
        var candidates = await db.Set<OpenIddictEntityFrameworkCoreAuthorization>().AsNoTracking()
            .Where(a => a.Application!.ClientId == clientId && a.Properties != null && a.Properties.Contains(consentId))
            .Select(a => new { a.Id, a.Status, a.CreationDate, a.Properties })
            .ToListAsync(ct);
        var authorization = candidates
            .Where(a => ConsentOf(a.Properties) == consentId)
            .OrderByDescending(a => a.CreationDate)
            .FirstOrDefault();

        if (authorization is null && journey.Count == 0)
        {
            return TypedResults.Problem($"Identity knows no authorisation of consent {consentId} by this app.", statusCode: StatusCodes.Status404NotFound, title: "Consent not found");
        }

        var tokens = new List<GrantTokenResponse>();
        if (authorization is not null)
        {
            var now = clock.GetUtcNow();
            var rows = await db.Set<OpenIddictEntityFrameworkCoreToken>().AsNoTracking()
                .Where(t => t.Authorization!.Id == authorization.Id)
                .Select(t => new { t.Id, t.Type, t.Status, t.CreationDate, t.ExpirationDate, t.RedemptionDate })
                .ToListAsync(ct);
            tokens.AddRange(rows
                .OrderBy(t => t.CreationDate)
                .Select(t => new GrantTokenResponse(
                    Reference(t.Id!),
                    TypeName(t.Type),
                    StatusOf(t.Status, t.ExpirationDate, now),
                    Utc(t.CreationDate) ?? DateTimeOffset.MinValue,
                    Utc(t.ExpirationDate),
                    Utc(t.RedemptionDate))));
        }

        return TypedResults.Ok(new ConsentGrantResponse(
            authorization?.Status,
            Utc(authorization?.CreationDate),
            [.. journey.Select(s => new JourneyStepResponse(Utc(s.At)!.Value, s.Step, s.Page, s.Detail))],
            tokens));
    }

    public static async Task<Results<Ok<TokenActivityResponse>, ProblemHttpResult, ValidationProblem>> GetTokenActivityAsync(
        string clientId, string? since, IdentityDbContext db, IOpenIddictApplicationManager applications, TimeProvider clock, CancellationToken ct)
    {
        var from = clock.GetUtcNow().AddDays(-30);
        if (!string.IsNullOrWhiteSpace(since))
        {
            if (!DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out from))
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["since"] = ["since must be a date and time, e.g. 2026-12-01T00:00:00Z."] });
            }
        }

        if (await applications.FindByClientIdAsync(clientId, ct) is not { } application
            || PartnerClientProperties.GetString(await applications.GetPropertiesAsync(application, ct), PartnerClientProperties.OrganisationId) is null)
        {
            return TypedResults.Problem($"There is no partner app {clientId}.", statusCode: StatusCodes.Status404NotFound, title: "App not found");
        }

        var fromUtc = from.UtcDateTime;
        var counts = await db.TokenActivity.AsNoTracking()
            .Where(e => e.ClientId == clientId && e.At >= fromUtc)
            .GroupBy(e => e.Kind)
            .Select(g => new { Kind = g.Key, Count = g.Count(), Last = g.Max(e => e.At) })
            .ToListAsync(ct);
        (int Count, DateTimeOffset? Last) Of(string kind) => counts.FirstOrDefault(c => c.Kind == kind) is { } c ? (c.Count, Utc(c.Last)) : (0, null);
        var (codes, lastCode) = Of(TokenActivityKinds.CodeExchange);
        var (refreshes, lastRefresh) = Of(TokenActivityKinds.Refresh);
        var (revocations, lastRevocation) = Of(TokenActivityKinds.Revocation);
        return TypedResults.Ok(new TokenActivityResponse(codes, lastCode, refreshes, lastRefresh, revocations, lastRevocation));
    }

    private static string? ConsentOf(string? properties)
    {
        if (properties is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(properties);
            return document.RootElement is { ValueKind: JsonValueKind.Object } root
                && root.TryGetProperty(ConsentGrants.ConsentIdProperty, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A short stable reference to the token row (a hash of its database id): never the token, never its id.</summary>
    private static string Reference(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..10];

    /// <summary>OpenIddict's stored type (<c>access_token</c>, <c>refresh_token</c>, <c>authorization_code</c>, or a URN).</summary>
    private static string TypeName(string? type) => type switch
    {
        null => "unknown",
        var t when t.Contains(':', StringComparison.Ordinal) => t[(t.LastIndexOf(':') + 1)..],
        var t => t,
    };

    private static string StatusOf(string? status, DateTime? expires, DateTimeOffset now)
        => status == Statuses.Valid && Utc(expires) is { } at && at <= now ? "expired" : status ?? "unknown";

    private static DateTimeOffset? Utc(DateTime? value)
        => value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}

/// <summary>A consent's authorisation: <c>AuthorizationStatus</c> valid or revoked (null when none was made).</summary>
public sealed record ConsentGrantResponse(
    string? AuthorizationStatus, DateTimeOffset? AuthorizedAt, IReadOnlyList<JourneyStepResponse> Journey, IReadOnlyList<GrantTokenResponse> Tokens);

/// <summary>One step of the customer's journey (<see cref="JourneySteps"/>).</summary>
public sealed record JourneyStepResponse(DateTimeOffset At, string Step, string? Page, string? Detail);

/// <summary>A token issued under the grant, by an opaque reference.</summary>
public sealed record GrantTokenResponse(
    string Reference, string Type, string Status, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RedeemedAt);

/// <summary>An app's token use since the time asked.</summary>
public sealed record TokenActivityResponse(
    int CodeExchanges, DateTimeOffset? LastCodeExchangeAt, int Refreshes, DateTimeOffset? LastRefreshAt, int Revocations,
    DateTimeOffset? LastRevocationAt);
