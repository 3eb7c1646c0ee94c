namespace OpenBanking.Identity.Pages.Customer;

/// <summary>
/// The file "Download my consent history" gives the customer: every consent they gave or declined, with the app, what
/// it allows, its dates and use, and every change of its status. Its shape is part of the customer's right of access,
/// so it is a record of its own, not the Sandbox's wire type.
/// </summary>
public sealed record ConsentHistoryDownload(string Organisation, string CustomerId, DateTimeOffset GeneratedAt, IReadOnlyList<ConsentHistoryDownload.Entry> Consents)
{
    /// <param name="Current">Whether it still grants something.</param>
    /// <param name="Ended">How and when it ended, in words; null while current.</param>
    public sealed record Entry(
        string ConsentId, string App, string ClientId, string Kind, string Status, bool Current, string? Ended,
        IReadOnlyList<string> Allows, IReadOnlyList<string> Accounts, DateTimeOffset Granted, DateTimeOffset? ExpirationDateTime,
        string Expires, DateTimeOffset? LastUsedAt, string Use, DateTimeOffset? AccessWithdrawnAt, DateTimeOffset? DeletedByAppAt,
        IReadOnlyList<Change> History);

    /// <param name="Actor">Who made it: tpp (the app), customer, bank or clock (expiry).</param>
    public sealed record Change(DateTimeOffset At, string Status, string Actor, string? Detail);
}
