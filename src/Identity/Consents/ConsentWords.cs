using OpenBanking.Identity.Customers;
using OpenBanking.Identity.Platform;

namespace OpenBanking.Identity.Consents;

/// <summary>
/// The connected-apps page's words for a consent's dates, use and state — one place, so the page and the customer's
/// history download say the same thing.
/// </summary>
public static class ConsentWords
{
    /// <summary>When it stops granting anything.</summary>
    public static string Expires(SandboxConsent consent, CustomerConsentKind? kind)
        => kind is CustomerConsentKind.DomesticPayment or CustomerConsentKind.DomesticScheduledPayment or CustomerConsentKind.InternationalPayment
            ? "When the payment is made"
            : consent.ExpirationDateTime is { } expires ? BankFormat.Date(expires)
            : "No end date";

    /// <summary>What the use line is called: a payment consent is used by a payment, the others by the app reading.</summary>
    public static string UseLabel(CustomerConsentKind? kind) => ConsentKindText.IsPayment(kind) ? "Last payment" : "Last access";

    /// <summary>The consent's last use: the last access, or the (last) payment made with it.</summary>
    public static string Use(SandboxConsent consent, CustomerConsentKind? kind) => consent.LastUsedAt switch
    {
        { } used when ConsentKindText.IsPayment(kind) => "Used for a payment on " + BankFormat.Date(used),
        { } used => BankFormat.DateTime(used),
        null when ConsentKindText.IsPayment(kind) => "No payment made with it yet",
        null => "Not used yet",
    };

    /// <summary>Its state in plain words.</summary>
    public static string Status(SandboxConsentRecord record)
    {
        var consent = record.Consent;
        if (record.Current)
        {
            return consent.Status == "Consumed" ? "Active — payments still to come" : "Active";
        }

        if (record.DeletedAt is not null)
        {
            return "Deleted by the app";
        }

        if (consent.AccessRevokedAt is not null)
        {
            return "Access withdrawn by you";
        }

        return consent.Status switch
        {
            "Revoked" => LastActor(record) == "tpp" ? "Revoked by the app" : "Revoked by you",
            "Rejected" => LastActor(record) switch
            {
                "clock" => "Never authorised",
                "bank" => "Rejected by the bank",
                _ => "Declined or cancelled by you",
            },
            "Consumed" => ConsentKindText.IsRecurring(ConsentKindText.Of(consent)) ? "Finished" : "Used",
            "AwaitingAuthorisation" => "Never authorised",
            _ => "Expired",
        };
    }

    /// <summary>How and when it ended ("Expired on 3 December 2026").</summary>
    public static string Ended(SandboxConsentRecord record)
    {
        var consent = record.Consent;
        var at = record.DeletedAt ?? consent.AccessRevokedAt
            ?? (consent.Status == "Authorised" && consent.ExpirationDateTime is { } expired ? expired : (DateTimeOffset?)null)
            ?? (record.History.Count > 0 ? record.History[^1].At : record.StatusUpdateDateTime);
        return $"{Status(record)} on {BankFormat.Date(at)}";
    }

    private static string? LastActor(SandboxConsentRecord record) => record.History.Count > 0 ? record.History[^1].Actor : null;
}
