using System.Net;
using System.Net.Http.Json;

namespace OpenBanking.Portal.Platform;

/// <summary>
/// The Sandbox's view of a tenant's consents for the consent inspector (scope <c>sandbox.internal</c>): search, and one
/// consent's timeline. Always for one organisation; <c>clientId</c> narrows to one app.
/// </summary>
public sealed class SandboxConsentsClient(HttpClient http)
{
    /// <summary>Consents whose id, or whose customer's username or id, matches <paramref name="query"/> (newest first).</summary>
    public async Task<IReadOnlyList<ConsentSummary>> SearchAsync(Guid organisationId, string? clientId, string? query, int take, CancellationToken ct)
    {
        var url = $"internal/tenants/{organisationId}/consents?take={take}"
            + (string.IsNullOrWhiteSpace(clientId) ? "" : "&clientId=" + Uri.EscapeDataString(clientId))
            + (string.IsNullOrWhiteSpace(query) ? "" : "&q=" + Uri.EscapeDataString(query.Trim()));
        using var response = await http.GetAsync(url, ct);
        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return (await response.Content.ReadFromJsonAsync<ConsentSummary[]>(ct))!;
    }

    /// <summary>One consent's life in the bank; null when it is not this organisation's (or this app's), or unknown.</summary>
    public async Task<ConsentTimeline?> TimelineAsync(Guid organisationId, string? clientId, string consentId, CancellationToken ct)
    {
        var url = $"internal/tenants/{organisationId}/consents/{Uri.EscapeDataString(consentId)}/timeline"
            + (string.IsNullOrWhiteSpace(clientId) ? "" : "?clientId=" + Uri.EscapeDataString(clientId));
        using var response = await http.GetAsync(url, ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await PlatformResponses.EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<ConsentTimeline>(ct);
    }
}

/// <summary>
/// A consent of any kind (<c>Kind</c>: AccountAccess, DomesticPayment, DomesticScheduledPayment, DomesticStandingOrder,
/// DomesticVrp, FundsConfirmation, InternationalPayment), its OBIE status and the API version it was created in.
/// </summary>
public sealed record ConsentSummary(
    string ConsentId, string Kind, string ClientId, string Status, string ApiVersion, string? CustomerId, string? CustomerUsername,
    DateTimeOffset CreatedAt, DateTimeOffset StatusUpdatedAt);

/// <summary>
/// One consent's life: what it allows, which accounts the customer chose, every status change (who made it and why),
/// the payments made with it and the event notifications about it. Times are the tenant clock's.
/// </summary>
public sealed record ConsentTimeline(
    ConsentSummary Consent, IReadOnlyList<string> Permissions, IReadOnlyList<string> AccountIds, DateTimeOffset? Expiration,
    DateTimeOffset? AccessRevokedAt, DateTimeOffset? LastUsedAt, IReadOnlyList<ConsentChange> Changes,
    IReadOnlyList<ConsentPayment> Payments, IReadOnlyList<ConsentEvent> Events);

/// <summary>A status change: <c>Actor</c> is <c>tpp</c>, <c>customer</c>, <c>bank</c> or <c>clock</c> (expiry); <c>Detail</c> in words.</summary>
public sealed record ConsentChange(DateTimeOffset At, string Status, string Actor, string? Detail);

/// <summary>A payment made under the consent.</summary>
public sealed record ConsentPayment(string PaymentId, string Status, DateTimeOffset At, string Amount, string Currency);

/// <summary>An event notification about the consent (or a payment of it) and how its delivery went.</summary>
public sealed record ConsentEvent(
    string NotificationId, string EventType, string ResourceId, string State, int Attempts, int? LastStatusCode,
    DateTimeOffset CreatedAt, DateTimeOffset? AcknowledgedAt);
