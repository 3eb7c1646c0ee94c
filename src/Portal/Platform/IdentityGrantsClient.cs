using System.Net;
using System.Net.Http.Json;

namespace OpenBanking.Portal.Platform;

/// <summary>
/// What Identity knows of a consent's authorisation and an app's token use (scope <c>identity.clients</c>): the
/// customer's journey, and tokens issued, refreshed and revoked — never a token's value.
/// </summary>
public sealed class IdentityGrantsClient(HttpClient http)
{
    /// <summary>The grant behind a consent; null when the consent was never authorised here or is not this app's.</summary>
    public async Task<ConsentGrant?> ConsentGrantAsync(string clientId, string consentId, CancellationToken ct)
    {
        using var response = await http.GetAsync(
            $"internal/consents/{Uri.EscapeDataString(consentId)}/grants?clientId={Uri.EscapeDataString(clientId)}", ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<ConsentGrant>(ct);
    }

    /// <summary>How an app used the token endpoint since <paramref name="since"/> (the readiness report's token checks).</summary>
    public async Task<TokenActivity> TokenActivityAsync(string clientId, DateTimeOffset since, CancellationToken ct)
    {
        using var response = await http.GetAsync(
            $"internal/clients/{Uri.EscapeDataString(clientId)}/token-activity?since={Uri.EscapeDataString(since.ToString("O"))}", ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<TokenActivity>(ct))!;
    }
}

/// <summary>
/// A consent's authorisation in Identity: <c>Status</c> valid or revoked, the customer's journey through the pages, and the
/// tokens issued under it.
/// </summary>
public sealed record ConsentGrant(
    string? AuthorizationStatus, DateTimeOffset? AuthorizedAt, IReadOnlyList<JourneyStep> Journey, IReadOnlyList<GrantToken> Tokens);

/// <summary>
/// One step of the customer's consent journey: <c>Step</c> one of <c>started</c>, <c>signed-in</c>, <c>sign-in-failed</c>,
/// <c>second-factor</c>, <c>second-factor-failed</c>, <c>accounts-chosen</c>, <c>approved</c>, <c>denied</c>,
/// <c>code-issued</c>; <c>Page</c> the page it happened on.
/// </summary>
public sealed record JourneyStep(DateTimeOffset At, string Step, string? Page, string? Detail);

/// <summary>
/// A token issued under the grant: <c>Type</c> <c>authorization_code</c>, <c>access_token</c> or <c>refresh_token</c>;
/// <c>Status</c> valid, redeemed, revoked or expired; <c>Reference</c> an opaque short id, never the token.
/// </summary>
public sealed record GrantToken(
    string Reference, string Type, string Status, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RedeemedAt);

/// <summary>An app's token use: authorization codes exchanged, refresh-token grants, and revocations, with the last time of each.</summary>
public sealed record TokenActivity(
    int CodeExchanges, DateTimeOffset? LastCodeExchangeAt, int Refreshes, DateTimeOffset? LastRefreshAt, int Revocations,
    DateTimeOffset? LastRevocationAt);
