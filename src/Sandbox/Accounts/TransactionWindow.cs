namespace OpenBanking.Sandbox.Accounts;

/// <summary>
/// A span of booking times, open at either end: a request's filter intersected with the consent's transaction
/// window. Times are the bank's own (UTC <see cref="DateTime"/>, as stored).
/// </summary>
public readonly record struct TransactionWindow(DateTime? From, DateTime? To)
{
    public bool IsOpen => From is null && To is null;

    /// <summary>The filter intersected with the consent's transaction window.</summary>
    public static TransactionWindow Of(AccountAccessGrant consent, DateTime? from, DateTime? to)
        => new(Later(from, consent.TransactionFromDateTime?.UtcDateTime), Earlier(to, consent.TransactionToDateTime?.UtcDateTime));

    /// <summary>Whether a span lies wholly inside the consent's window (a statement is shown only then).</summary>
    public static bool Covers(AccountAccessGrant consent, DateTime start, DateTime end)
        => !((consent.TransactionFromDateTime is { } from && start < from.UtcDateTime)
            || (consent.TransactionToDateTime is { } to && end > to.UtcDateTime));

    public static DateTime? Later(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : (a > b ? a : b);

    public static DateTime Later(DateTime a, DateTime? b) => b is { } other && other > a ? other : a;

    public static DateTime? Earlier(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : (a < b ? a : b);

    public static DateTime Earlier(DateTime a, DateTime? b) => b is { } other && other < a ? other : a;
}
