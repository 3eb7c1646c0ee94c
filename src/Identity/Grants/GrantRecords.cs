using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Identity.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenBanking.Identity.Grants;

/// <summary>The consent (and app) a customer's journey is about, and the key of its pushed request.</summary>
public sealed record JourneyContext(string ConsentId, string ClientId, string? RequestKey);

/// <summary>
/// Writes the consent journey's steps and the apps' token activity, each in a database scope of its own: a step is
/// a record of what happened, and must neither ride along with nor be lost with whatever else the request saves (an
/// OpenIddict authorization that failed to save stays out). Writing a journey step never fails the journey: a
/// failure is logged and the customer carries on.
/// </summary>
public sealed partial class GrantRecords(IServiceScopeFactory scopes, TimeProvider clock, ILogger<GrantRecords> logger)
{
    public const int MaxDetailLength = 300;

    /// <summary>The key a journey's steps share: a hash of its <c>request_uri</c> (never stored as such).</summary>
    public static string? RequestKeyOf(string? requestUri)
        => string.IsNullOrEmpty(requestUri) ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(requestUri)))[..32];

    /// <summary>
    /// The journey a sign-in page is part of, from the URL it returns to (<c>/connect/authorize?…&amp;request_uri=…</c>):
    /// the consent of the journey's first step with that request. Null for a sign-in to the connected-apps page.
    /// </summary>
    public async Task<JourneyContext?> FindJourneyAsync(string? returnUrl, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(returnUrl) || !returnUrl.StartsWith(JourneyPages.Authorize + "?", StringComparison.Ordinal))
        {
            return null;
        }

        var query = QueryHelpers.ParseQuery(returnUrl[returnUrl.IndexOf('?', StringComparison.Ordinal)..]);
        if (RequestKeyOf(query.TryGetValue(Parameters.RequestUri, out var uri) ? uri.ToString() : null) is not { } key)
        {
            return null;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
            return await db.ConsentJourneySteps.AsNoTracking()
                .Where(s => s.RequestKey == key)
                .OrderBy(s => s.Id)
                .Select(s => new JourneyContext(s.ConsentId, s.ClientId, s.RequestKey))
                .FirstOrDefaultAsync(ct);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogReadFailed(logger, exception);
            return null;
        }
    }

    /// <summary>Records the journey's start, once per pushed request (the authorize page is shown again after sign-in).</summary>
    public async Task StartAsync(string consentId, string clientId, string? requestUri, string page, CancellationToken ct)
    {
        var key = RequestKeyOf(requestUri);
        if (key is not null && await FindJourneyAsync($"{JourneyPages.Authorize}?{Parameters.RequestUri}={Uri.EscapeDataString(requestUri!)}", ct) is not null)
        {
            return;
        }

        await StepAsync(new JourneyContext(consentId, clientId, key), JourneySteps.Started, page, "The app sent the customer to authorise the consent.");
    }

    /// <summary>Records one step of a journey (nothing when there is no journey, e.g. a sign-in to the connected-apps page).</summary>
    public async Task StepAsync(JourneyContext? journey, string step, string page, string? detail)
    {
        if (journey is null)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
            db.ConsentJourneySteps.Add(new ConsentJourneyStep
            {
                ConsentId = journey.ConsentId,
                ClientId = journey.ClientId,
                Step = step,
                Page = page,
                Detail = detail is { Length: > MaxDetailLength } ? detail[..MaxDetailLength] : detail,
                RequestKey = journey.RequestKey,
                At = clock.GetUtcNow().UtcDateTime,
            });
            // Not the request's token (there is none here): a customer who closes the tab after deciding still left a step.
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception exception)
        {
            LogStepFailed(logger, exception, step, journey.ConsentId);
        }
    }

    /// <summary>Records a successful use of the token or revocation endpoint.</summary>
    public async Task TokenActivityAsync(string clientId, string kind, string? consentId)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
            db.TokenActivity.Add(new TokenActivityEntry { ClientId = clientId, Kind = kind, ConsentId = consentId, At = clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception exception)
        {
            LogTokenActivityFailed(logger, exception, kind, clientId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The consent journey could not be looked up")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The consent journey step {Step} of consent {ConsentId} could not be recorded")]
    private static partial void LogStepFailed(ILogger logger, Exception exception, string step, string consentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The token activity {Kind} of client {ClientId} could not be recorded")]
    private static partial void LogTokenActivityFailed(ILogger logger, Exception exception, string kind, string clientId);
}

/// <summary>The words of journey steps' details.</summary>
public static class GrantRecordsText
{
    /// <summary>The bank's account ids the customer chose (ids, never account numbers).</summary>
    public static string Accounts(IReadOnlyCollection<string> accountIds)
        => (accountIds.Count == 1 ? "1 account: " : $"{accountIds.Count} accounts: ") + string.Join(", ", accountIds.Distinct(StringComparer.Ordinal));
}
