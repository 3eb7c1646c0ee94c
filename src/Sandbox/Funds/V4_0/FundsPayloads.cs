using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.V4_0;

namespace OpenBanking.Sandbox.Funds.V4_0;

/// <summary>
/// How v4.0 names a funds-confirmation consent's status. Its CBPII enum is only AWAU/RJCT/AUTH: a consent the customer
/// revoked at the bank (v3.1.11's Revoked) is RJCT with the reason MS02 (ISO 20022: not specified, customer generated),
/// so a v4.0 client sees it can no longer be used and why.
/// </summary>
public static class FundsCodes
{
    public static string ConsentStatus(Domain.ConsentStatus status) => status switch
    {
        Domain.ConsentStatus.AwaitingAuthorisation => "AWAU",
        Domain.ConsentStatus.Authorised => "AUTH",
        Domain.ConsentStatus.Rejected or Domain.ConsentStatus.Revoked => "RJCT",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A funds-confirmation consent status without a v4.0 code."),
    };

    public static IReadOnlyList<ObStatusReason>? Reasons(Domain.ConsentStatus status)
        => status == Domain.ConsentStatus.Revoked ? [new ObStatusReason("MS02", "The customer revoked the consent at the bank.")] : null;
}

/// <summary>OBFundsConfirmationConsentResponse1 of v4.0.</summary>
public sealed record FundsConsentResponse(FundsConsentData Data, Links Links, Meta Meta)
{
    public static FundsConsentResponse From(FundsConfirmationConsent c, string self) => new(
        new FundsConsentData(c.Id, c.CreationDateTime, FundsCodes.ConsentStatus(c.Status), FundsCodes.Reasons(c.Status), c.StatusUpdateDateTime,
            c.ExpirationDateTime, new V3_1.FundsDebtorAccount(c.DebtorSchemeName, c.DebtorIdentification, c.DebtorName, c.DebtorSecondaryIdentification)),
        new Links(self), new Meta());
}

public sealed record FundsConsentData(
    string ConsentId, DateTimeOffset CreationDateTime, string Status, IReadOnlyList<ObStatusReason>? StatusReason, DateTimeOffset StatusUpdateDateTime,
    DateTimeOffset? ExpirationDateTime, V3_1.FundsDebtorAccount DebtorAccount);
