using System.Globalization;
using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Consents.V4_0;

/// <summary>
/// An account-access consent's status as v4.0 writes it (ISO 20022 codes), with the reason v4.0's StatusReason can
/// carry. The domain keeps v3.1.11's statuses; v4.0's two extra codes are read from the consent:
/// EXPD once its ExpirationDateTime has passed (by the bank's clock), whatever it was waiting for or granting;
/// CANC for a consent the customer revoked (Revoked, a status account access does not reach today: withdrawing access
/// from the dashboard keeps it AUTH, because the same consent may be authorised again).
/// </summary>
public static class ConsentStatusCode
{
    public const string AwaitingAuthorisation = "AWAU";
    public const string Authorised = "AUTH";
    public const string Rejected = "RJCT";
    public const string Expired = "EXPD";
    public const string Cancelled = "CANC";

    public static string Of(AccountAccessConsent consent, DateTimeOffset now) => Of(consent.Status, consent.ExpirationDateTime, now);

    public static string Of(ConsentStatus status, DateTimeOffset? expiration, DateTimeOffset now) => status switch
    {
        ConsentStatus.AwaitingAuthorisation or ConsentStatus.Authorised when expiration <= now => Expired,
        ConsentStatus.AwaitingAuthorisation => AwaitingAuthorisation,
        ConsentStatus.Authorised => Authorised,
        ConsentStatus.Rejected => Rejected,
        ConsentStatus.Revoked => Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "An account-access status without a v4.0 code."),
    };

    /// <summary>
    /// Why the consent is in its status, in words, when there is something to say beyond the code. No reason code:
    /// the YAML takes them from an external list it does not include, and a made-up code would mislead.
    /// </summary>
    public static string? Reason(AccountAccessConsent consent, DateTimeOffset now) => Of(consent, now) switch
    {
        Expired => $"The consent expired at {consent.ExpirationDateTime!.Value.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture)}.",
        Rejected => "The consent was not authorised: the customer declined it, or its authorisation could not be completed.",
        Cancelled => "The customer revoked the consent.",
        Authorised when consent.AccessRevokedAt is { } withdrawn =>
            $"The customer withdrew the app's access at {withdrawn.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture)}; "
            + "tokens issued before then no longer work. Ask the customer to authorise this consent again.",
        _ => null,
    };
}
