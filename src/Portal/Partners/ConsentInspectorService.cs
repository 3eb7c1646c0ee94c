using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Portal.Infrastructure;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.Partners;

/// <summary>A consent search's answer: the consents found, calls found by interaction id that name no consent, and what failed.</summary>
public sealed record ConsentSearchResult(
    IReadOnlyList<ConsentSummary> Consents, IReadOnlyList<CallView> Calls, string? DirectConsentId, string? RedirectTo,
    IReadOnlyList<string> Problems, IReadOnlyDictionary<string, string> AppNames);

/// <summary>One entry of a consent's merged timeline. <c>Refused</c> marks a refusal (a call or a status the app must react to).</summary>
public sealed record TimelineEntry(
    DateTimeOffset At, string Source, string Kind, string Title, string? Detail, bool Refused = false, long? CallId = null);

/// <summary>The latest refused call with this consent and its reason in words.</summary>
public sealed record RefusalAnswer(
    CallView Call, string Reason, string? RefusalRule, string? RefusalReason, string? ErrorCode, string? ErrorMessage);

/// <summary>Everything the platform knows about one consent of the organisation, merged; <c>Problems</c> says which source failed.</summary>
public sealed record ConsentInspection(
    string ConsentId, string? ClientId, string? AppName, ConsentTimeline? Bank, ConsentGrant? Grant, IReadOnlyList<CallView> Calls,
    IReadOnlyList<TimelineEntry> Timeline, RefusalAnswer? LastRefusal, IReadOnlyList<string> Problems);

/// <summary>
/// The consent inspector: for a consent of the signed-in partner's organisation, the bank's record (Sandbox), the
/// customer's journey and tokens (Identity) and every call made with it (Gateway), merged into one timeline. The
/// organisation sent to each service is always the member's own, and a consent must belong to one of its apps: any
/// other is "not found". A source that fails is named in <see cref="ConsentInspection.Problems"/>; the rest still shows.
/// </summary>
public sealed partial class ConsentInspectorService(
    CurrentPartner current, IDbContextFactory<PortalDbContext> dbFactory, SandboxConsentsClient consents, IdentityGrantsClient grants,
    GatewayCallsClient calls, TimeProvider clock)
{
    public const int MaxCalls = 200;

    /// <summary>Consents by id, customer username or id; an interaction id is looked up in the call log.</summary>
    public async Task<ConsentSearchResult> SearchAsync(string? query, CancellationToken ct = default)
    {
        var (organisationId, apps) = await OrganisationAsync(ct);
        var problems = new List<string>();
        var q = query?.Trim();
        if (q is { Length: > 200 })
        {
            return new ConsentSearchResult([], [], null, null, ["Search for at most 200 characters."], apps);
        }

        IReadOnlyList<ConsentSummary> found = [];
        try
        {
            found = [.. (await consents.SearchAsync(organisationId, null, q, 50, ct)).Where(c => apps.ContainsKey(c.ClientId))];
        }
        catch (Exception exception) when (exception is HttpRequestException or PlatformServiceException or System.Text.Json.JsonException)
        {
            problems.Add("The sandbox bank's consent search did not answer, so consents are only found here by their id or an interaction id.");
        }

        IReadOnlyList<CallView> byInteraction = [];
        string? redirect = null;
        if (!string.IsNullOrEmpty(q) && !q.Contains(' ', StringComparison.Ordinal))
        {
            try
            {
                var page = await calls.ListAsync(new CallFilter(organisationId, InteractionId: q), 1, 20, ct);
                byInteraction = [.. page.Items.Where(c => c.InteractionId == q && (c.ClientId is null || apps.ContainsKey(c.ClientId)))];
                var consentIds = byInteraction.Select(c => c.ConsentId).Where(id => id is not null).Distinct().ToList();
                if (consentIds is [var only] && found.Count == 0)
                {
                    redirect = $"/consents/{Uri.EscapeDataString(only!)}";
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or PlatformServiceException or System.Text.Json.JsonException)
            {
                problems.Add("The gateway's call log did not answer, so interaction ids cannot be looked up right now.");
            }
        }

        var direct = q is not null && ConsentIdShape().IsMatch(q) && !found.Any(c => c.ConsentId == q) ? q : null;
        return new ConsentSearchResult(found, [.. byInteraction.Where(c => c.ConsentId is null)], direct, redirect, problems, apps);
    }

    /// <summary>One consent, merged from every source; null when none of them knows it as this organisation's.</summary>
    public async Task<ConsentInspection?> InspectAsync(string consentId, CancellationToken ct = default)
    {
        var (organisationId, apps) = await OrganisationAsync(ct);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(consentId) || consentId.Length > 128)
        {
            return null;
        }

        ConsentTimeline? bank = null;
        try
        {
            bank = await consents.TimelineAsync(organisationId, null, consentId, ct);
            if (bank is not null && !apps.ContainsKey(bank.Consent.ClientId))
            {
                return null;
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or PlatformServiceException or System.Text.Json.JsonException)
        {
            problems.Add("The sandbox bank did not answer: the consent's status history, payments and event notifications are missing.");
        }

        IReadOnlyList<CallView> used = [];
        try
        {
            var page = await calls.ListAsync(new CallFilter(organisationId, bank?.Consent.ClientId, ConsentId: consentId), 1, MaxCalls, ct);
            // Only calls the gateway tied to this consent, or whose path names it: a gateway that does not know the
            // consentId filter answers with every call, and those must not be shown as this consent's.
            used = [.. page.Items
                .Where(c => c.ConsentId == consentId || (c.ConsentId is null && c.Path.Contains(consentId, StringComparison.Ordinal)))
                .Where(c => c.ClientId is null || apps.ContainsKey(c.ClientId))
                .OrderBy(c => c.Timestamp)];
        }
        catch (Exception exception) when (exception is HttpRequestException or PlatformServiceException or System.Text.Json.JsonException)
        {
            problems.Add("The gateway's call log did not answer: the calls made with this consent are missing.");
        }

        // The app: the bank's record says; else the calls; else ask Identity about each of the organisation's apps.
        var clientId = bank?.Consent.ClientId ?? used.Select(c => c.ClientId).FirstOrDefault(c => c is not null);
        ConsentGrant? grant = null;
        try
        {
            foreach (var candidate in clientId is not null ? [clientId] : apps.Keys.Take(20))
            {
                grant = await grants.ConsentGrantAsync(candidate, consentId, ct);
                if (grant is not null)
                {
                    clientId = candidate;
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or PlatformServiceException or System.Text.Json.JsonException)
        {
            problems.Add("Identity did not answer: the customer's journey and the tokens are missing.");
        }

        if (bank is null && grant is null && used.Count == 0 && problems.Count == 0)
        {
            return null;
        }

        if (bank is null && !problems.Any(p => p.StartsWith("The sandbox bank", StringComparison.Ordinal)))
        {
            problems.Add("The sandbox bank has no record of this consent (a sandbox reset removes consents, or its bank does not keep timelines yet): what follows is Identity's and the gateway's.");
        }

        var lastRefusal = await LastRefusalAsync(organisationId, used, bank, ct);
        return new ConsentInspection(consentId, clientId, clientId is null ? null : apps.GetValueOrDefault(clientId), bank, grant, used,
            ConsentTimelineBuilder.Build(consentId, bank, grant, used), lastRefusal, problems);
    }

    /// <summary>A call in full (for its dialog); null when it is not the organisation's or no longer kept.</summary>
    public async Task<CallDetail?> CallAsync(CallView call, CancellationToken ct = default)
    {
        var (organisationId, _) = await OrganisationAsync(ct);
        return await calls.GetAsync(organisationId, call.ClientId, call.Id, ct);
    }

    private async Task<RefusalAnswer?> LastRefusalAsync(Guid organisationId, IReadOnlyList<CallView> used, ConsentTimeline? bank, CancellationToken ct)
    {
        if (used.LastOrDefault(c => c.StatusCode >= 400) is not { } refused)
        {
            return null;
        }

        CallDetail? detail = null;
        try
        {
            detail = await calls.GetAsync(organisationId, refused.ClientId, refused.Id, ct);
        }
        catch (Exception exception) when (exception is HttpRequestException or PlatformServiceException or System.Text.Json.JsonException)
        {
            // The row's own facts still answer; the reason in words is what is missing.
        }

        var errorCode = refused.ErrorCode ?? detail?.ErrorCodes.FirstOrDefault();
        return new RefusalAnswer(refused, ConsentTimelineBuilder.Explain(refused, detail, bank, clock.GetUtcNow()), refused.RefusalRule,
            detail?.RefusalReason, errorCode, detail?.ErrorMessage);
    }

    private async Task<(Guid OrganisationId, IReadOnlyDictionary<string, string> Apps)> OrganisationAsync(CancellationToken ct)
    {
        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var organisation = (await CurrentPartner.LoadAsync(db, actor, ct)).RequireOrganisation();
        var apps = await db.Apps.AsNoTracking().Where(a => a.OrganisationId == organisation.Id)
            .Select(a => new { a.ClientId, a.Name }).ToListAsync(ct);
        return (organisation.Id, apps.ToDictionary(a => a.ClientId, a => a.Name, StringComparer.Ordinal));
    }

    /// <summary>The bank's consent ids: a kind prefix (<c>aac-</c>, <c>pdc-</c>, …) and an opaque rest.</summary>
    [GeneratedRegex("^[a-z]{3}-[A-Za-z0-9-]{6,120}$")]
    private static partial Regex ConsentIdShape();
}


/// <summary>
/// Merges what the bank, Identity and the gateway know of one consent into one timeline ordered by time, and says in
/// plain words why a call was refused. Pure: the inspector's sources in, entries out.
/// </summary>
public static class ConsentTimelineBuilder
{
    private static readonly HashSet<string> EndStatuses = new(StringComparer.OrdinalIgnoreCase)
    {
        "Revoked", "Rejected", "Expired", "Consumed", "RJCT", "EXPD", "CONS", "Deleted",
    };

    public static IReadOnlyList<TimelineEntry> Build(string consentId, ConsentTimeline? bank, ConsentGrant? grant, IReadOnlyList<CallView> calls)
    {
        var entries = new List<TimelineEntry>();
        if (bank is not null)
        {
            var consent = bank.Consent;
            entries.Add(new(consent.CreatedAt, "bank", "created", $"Consent created ({Words(consent.Kind)}, {consent.ApiVersion})",
                bank.Permissions.Count > 0 ? "Asks for " + string.Join(", ", bank.Permissions) : null));
            foreach (var change in bank.Changes)
            {
                var authorised = change.Status is "Authorised" or "AUTH";
                var detail = change.Detail;
                if (authorised && bank.AccountIds.Count > 0)
                {
                    detail = Join(detail, (consent.CustomerUsername is { } user ? $"customer {user}, " : "") + "accounts " + string.Join(", ", bank.AccountIds));
                }

                entries.Add(new(change.At, "bank", "status", $"Status {change.Status}, by the {Actor(change.Actor)}", detail, EndStatuses.Contains(change.Status)));
            }

            foreach (var payment in bank.Payments)
            {
                entries.Add(new(payment.At, "bank", "payment", $"Payment {payment.PaymentId}: {payment.Status}", $"{payment.Amount} {payment.Currency}",
                    payment.Status is "Rejected" or "RJCT"));
            }

            foreach (var notification in bank.Events)
            {
                var delivery = notification.AcknowledgedAt is { } acked
                    ? $"acknowledged at {Time(acked)}"
                    : $"{notification.State} after {notification.Attempts} attempt{(notification.Attempts == 1 ? "" : "s")}"
                        + (notification.LastStatusCode is { } code ? $", last answer {code}" : "");
                entries.Add(new(notification.CreatedAt, "bank", "event", $"Event notification {Short(notification.EventType)}",
                    $"About {notification.ResourceId}; {delivery}", notification.State is "failed" or "Failed" or "expired" or "Expired"));
            }
        }

        if (grant is not null)
        {
            foreach (var step in grant.Journey)
            {
                entries.Add(new(step.At, "identity", "journey", $"Customer journey: {JourneyWords(step.Step)}",
                    Join(step.Page is null ? null : $"on {step.Page}", step.Detail), step.Step == "denied"));
            }

            if (bank is null && grant.AuthorizedAt is { } authorisedAt)
            {
                entries.Add(new(authorisedAt, "identity", "authorised", "Authorised: tokens may be issued under this consent", null));
            }

            foreach (var token in grant.Tokens)
            {
                var name = TokenWords(token.Type);
                entries.Add(new(token.CreatedAt, "identity", "token", $"{name} issued",
                    $"Reference {token.Reference}; now {token.Status}" + (token.ExpiresAt is { } expires ? $"; expires {Time(expires)}" : "")));
                if (token.RedeemedAt is { } redeemed)
                {
                    entries.Add(new(redeemed, "identity", "token", token.Type == "authorization_code" ? "Authorization code exchanged for tokens" : $"{name} used",
                        $"Reference {token.Reference}"));
                }
            }

            if (grant.AuthorizationStatus == "revoked")
            {
                var at = grant.Tokens.Select(t => t.CreatedAt).DefaultIfEmpty(grant.AuthorizedAt ?? DateTimeOffset.MinValue).Max();
                entries.Add(new(bank?.AccessRevokedAt ?? at, "identity", "token", "Grant revoked: every token under this consent stopped working",
                    bank?.AccessRevokedAt is null ? "Identity does not record when: shown after the last token issued." : null, true));
            }
        }

        foreach (var call in calls)
        {
            var detail = Join(
                call.ErrorCode is null ? null : $"error {call.ErrorCode}",
                call.RefusalRule is null ? null : $"refused by rule {call.RefusalRule}");
            detail = Join(detail, call.InteractionId is null ? null : $"interaction id {call.InteractionId}");
            entries.Add(new(call.Timestamp, "gateway", "call", $"{call.Method} {call.Path} → {call.StatusCode}", detail, call.StatusCode >= 400, call.Id));
        }

        // Identity's token dates are whole seconds: within one second, the journey comes before the tokens it led to,
        // and those before the calls made with them.
        return [.. entries.Select((e, i) => (e, i))
            .OrderBy(x => x.e.At.ToUnixTimeSeconds())
            .ThenBy(x => Rank(x.e))
            .ThenBy(x => x.e.At)
            .ThenBy(x => x.i)
            .Select(x => x.e)];
    }

    private static int Rank(TimelineEntry entry) => entry.Kind switch
    {
        "created" => 0,
        "journey" => 1,
        "status" or "authorised" => 2,
        "token" => 3,
        "call" => 4,
        _ => 5,
    };

    /// <summary>Why a call was refused, in words: the gateway's or bank's own reason when it gave one, else what the facts say.</summary>
    public static string Explain(CallView call, CallDetail? detail, ConsentTimeline? bank, DateTimeOffset now)
    {
        if (!string.IsNullOrWhiteSpace(detail?.RefusalReason))
        {
            return detail.RefusalReason!;
        }

        var code = call.ErrorCode ?? detail?.ErrorCodes.FirstOrDefault();
        var bankSays = detail?.ErrorMessage is { Length: > 0 } message ? $" The bank said: \"{message}\"" : "";
        if (bank is not null && EndStatuses.Contains(bank.Consent.Status))
        {
            var change = bank.Changes.LastOrDefault(c => c.Status == bank.Consent.Status);
            var when = change is null ? "" : $" at {Time(change.At)} by the {Actor(change.Actor)}";
            return $"The consent is {bank.Consent.Status}{when}: no call can use it any more. Ask the customer to authorise a new consent.{bankSays}";
        }

        if (bank?.AccessRevokedAt is { } revoked)
        {
            return $"The customer withdrew the app's access at {Time(revoked)}: no call can use this consent any more. Ask the customer to authorise a new consent.{bankSays}";
        }

        if (bank?.Expiration is { } expiration && expiration <= now)
        {
            return $"The consent expired at {Time(expiration)}. Ask the customer to authorise a new consent.{bankSays}";
        }

        var rule = call.RefusalRule is null ? "" : $" (rule {call.RefusalRule})";
        var what = call.StatusCode switch
        {
            401 => "The access token was missing, expired or not valid for this API",
            403 => "The app was not allowed to do this with this consent or token",
            404 => "What the call asked for does not exist, or is not this app's",
            429 => "The app called too often" + (call.RetryAfterSeconds is { } wait ? $"; it should have waited {wait} s (Retry-After)" : ""),
            >= 500 => "The bank or gateway failed; retry later with backoff",
            _ => "The request was not acceptable",
        };
        return $"{what}{rule}{(code is null ? "" : $"; error code {code}")}.{bankSays}";
    }

    private static string? Join(string? first, string? second)
        => (first, second) switch
        {
            (null or "", _) => second,
            (_, null or "") => first,
            _ => $"{first}; {second}",
        };

    private static string Actor(string actor) => actor switch
    {
        "tpp" => "app",
        "clock" => "bank's clock (expiry)",
        _ => actor,
    };

    private static string Words(string kind)
        => string.Concat(kind.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));

    private static string Short(string eventType) => eventType[(eventType.LastIndexOf('/') + 1)..];

    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string JourneyWords(string step) => step switch
    {
        "started" => "sent to the bank to authorise",
        "signed-in" => "password accepted",
        "sign-in-failed" => "sign-in failed",
        "second-factor" => "second factor accepted",
        "second-factor-failed" => "second factor failed",
        "accounts-chosen" => "accounts chosen",
        "approved" => "approved",
        "denied" => "denied",
        "code-issued" => "authorization code sent to the app",
        _ => step,
    };

    private static string TokenWords(string type) => type switch
    {
        "authorization_code" => "Authorization code",
        "access_token" => "Access token",
        "refresh_token" => "Refresh token",
        "id_token" => "ID token",
        _ => type,
    };
}
