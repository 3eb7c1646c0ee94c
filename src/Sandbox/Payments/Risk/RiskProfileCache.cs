using System.Collections.Concurrent;

namespace OpenBanking.Sandbox.Payments;

/// <summary>Per-account risk profiles shared by all requests (a singleton), each kept for ten minutes.</summary>
public sealed class RiskProfileCache
{
    private const int MaximumEntries = 50_000;
    private readonly ConcurrentDictionary<string, RiskProfile> _profiles = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, DateTime> _accountOpened = new(StringComparer.Ordinal);

    /// <summary>An in-bank payee account's opening date (it never changes, so it is looked up once per account).</summary>
    public async Task<DateTime?> AccountOpenedAsync(string accountId, Func<Task<DateTime?>> load)
    {
        if (_accountOpened.TryGetValue(accountId, out var opened))
        {
            return opened;
        }

        if (await load() is not { } loaded)
        {
            return null;
        }

        if (_accountOpened.Count > MaximumEntries)
        {
            _accountOpened.Clear();
        }

        _accountOpened[accountId] = loaded;
        return loaded;
    }

    public async Task<RiskProfile> GetAsync(string accountId, DateTime now, Func<Task<RiskProfile>> load)
    {
        if (_profiles.TryGetValue(accountId, out var profile) && profile.ExpiresAt > now)
        {
            return profile;
        }

        if (_profiles.Count > MaximumEntries)
        {
            _profiles.Clear();
        }

        profile = await load();
        _profiles[accountId] = profile;
        return profile;
    }

    /// <summary>
    /// A committed payment joins its payer's velocity window, and its payee is known once money went. An account
    /// without a profile gets the payment when its profile is loaded (from the database, where it is by then).
    /// </summary>
    public void Record(DomesticPayment payment)
    {
        if (_profiles.TryGetValue(payment.DebtorAccountId, out var profile))
        {
            profile.Add(new RecentPayment(payment.CreationDateTime, payment.CreditorIdentification));
            if (payment.Debited)
            {
                profile.KnownPayees.TryAdd(payment.CreditorIdentification, payment.CreationDateTime);
            }
        }

        // Money into another account of this bank: a credit of the payee's last day (the mule signal).
        if (payment.Debited && payment.CreditorAccountId is { } creditor && _profiles.TryGetValue(creditor, out var payee))
        {
            payee.AddCredit(new RecentCredit(payment.CreationDateTime, payment.AmountMinor));
        }
    }
}
