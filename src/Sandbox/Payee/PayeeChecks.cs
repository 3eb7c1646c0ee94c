using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Infrastructure;

namespace OpenBanking.Sandbox.Payee;

/// <summary>
/// Confirmation of Payee (docs/confirmation-of-payee.md): the sandbox bank answers for every sort-code account of the
/// asking partner's own bank (the holder's name as on the account) and for the seeded <see cref="PayeeDirectory"/> of
/// other banks. Answers are cached per (tenant, account, name, type) for <see cref="CacheFor"/>, so a payment to a
/// payee checked moments ago on the consent page is not matched again.
/// </summary>
public sealed class PayeeChecks(PayeeDirectory directory, TimeProvider time)
{
    public const string SortCodeScheme = "UK.OBIE.SortCodeAccountNumber";

    /// <summary>Risk points for a payment whose payee's name does not match, or whose account does not exist.</summary>
    public const int NoMatchPoints = 20;

    /// <summary>Risk points for a close match (a near spelling, or the other kind of account).</summary>
    public const int CloseMatchPoints = 10;

    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    private const int CacheLimit = 20_000;

    private readonly ConcurrentDictionary<string, (PayeeCheck Check, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async Task<PayeeCheck> CheckAsync(SandboxDbContext db, Guid tenantId, PayeeQuery query, CancellationToken ct)
    {
        var key = string.Join('|', tenantId, query.SortCode, query.AccountNumber, query.AccountType, query.SecondaryIdentification,
            string.Join(' ', NameMatcher.Words(query.Name)));
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(key, out var cached) && cached.Until > now)
        {
            return cached.Check;
        }

        var check = await AnswerAsync(db, tenantId, query, ct);
        // Bounded: names typed are open-ended, so start again rather than grow without limit.
        if (_cache.Count >= CacheLimit)
        {
            _cache.Clear();
        }

        _cache[key] = (check, now + CacheFor);
        return check;
    }

    private async Task<PayeeCheck> AnswerAsync(SandboxDbContext db, Guid tenantId, PayeeQuery query, CancellationToken ct)
    {
        if (query.SortCode == Identifiers.SortCode)
        {
            var identification = query.SortCode + query.AccountNumber;
            var own = await db.Accounts.AsNoTracking()
                .Where(a => a.TenantId == tenantId && a.SchemeName == SortCodeScheme && a.Identification == identification)
                .Select(a => new { a.Name, a.AccountType })
                .FirstOrDefaultAsync(ct);
            return Decide(query, own is null ? null
                : new PayeeAccount(own.Name, own.AccountType == nameof(PayeeAccountType.Business) ? PayeeAccountType.Business : PayeeAccountType.Personal));
        }

        if (!directory.SortCodes.Contains(query.SortCode))
        {
            return new PayeeCheck(PayeeOutcome.NotChecked, false, PayeeReasonCodes.SortCodeNotSupported, null);
        }

        return Decide(query, directory.Find(query.SortCode, query.AccountNumber) is { } entry
            ? new PayeeAccount(entry.Name, entry.AccountType, entry.Status, entry.SecondaryIdentification)
            : null);
    }

    /// <summary>The responding bank's answer for an account it holds (or null: it has none by that number).</summary>
    public static PayeeCheck Decide(PayeeQuery query, PayeeAccount? account)
    {
        if (account is null)
        {
            return new PayeeCheck(PayeeOutcome.AccountNotFound, false, PayeeReasonCodes.AccountDoesNotExist, null);
        }

        var refused = account.Status switch
        {
            PayeeAccountStatus.Switched => PayeeReasonCodes.AccountSwitched,
            PayeeAccountStatus.OptedOut => PayeeReasonCodes.OptedOut,
            PayeeAccountStatus.Unsupported => PayeeReasonCodes.AccountNotSupported,
            _ when account.SecondaryIdentification is { } roll
                && !string.Equals(roll, query.SecondaryIdentification?.Trim(), StringComparison.OrdinalIgnoreCase) => PayeeReasonCodes.InvalidSecondaryReference,
            _ => null,
        };
        if (refused is not null)
        {
            return new PayeeCheck(PayeeOutcome.NotChecked, false, refused, null);
        }

        var typeDiffers = query.AccountType is { } expected && expected != account.AccountType;
        var business = account.AccountType == PayeeAccountType.Business;
        return NameMatcher.Compare(query.Name, account.Name) switch
        {
            NameMatch.Full when !typeDiffers => PayeeCheck.Matching,
            NameMatch.Full => new PayeeCheck(PayeeOutcome.CloseMatch, false,
                business ? PayeeReasonCodes.BusinessAccountNameMatched : PayeeReasonCodes.PersonalAccountNameMatched, account.Name),
            NameMatch.Close => new PayeeCheck(PayeeOutcome.CloseMatch, false,
                !typeDiffers ? PayeeReasonCodes.MayBeAMatch
                : business ? PayeeReasonCodes.BusinessAccountMayBeAMatch : PayeeReasonCodes.PersonalAccountMayBeAMatch, account.Name),
            _ => new PayeeCheck(PayeeOutcome.NoMatch, false, PayeeReasonCodes.NoMatch, null),
        };
    }
}
