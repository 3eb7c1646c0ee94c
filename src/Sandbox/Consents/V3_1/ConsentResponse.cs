using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Consents.V3_1;

/// <summary>OBReadConsentResponse1.</summary>
public sealed record ConsentResponse(ConsentResponseData Data, EmptyObject Risk, Links Links, Meta Meta)
{
    public static ConsentResponse From(AccountAccessConsent consent, string self) => new(
        new ConsentResponseData(
            consent.Id,
            consent.CreationDateTime,
            ConsentStatusWire.Name(consent.Status),
            consent.StatusUpdateDateTime,
            consent.Permissions,
            consent.ExpirationDateTime,
            consent.TransactionFromDateTime,
            consent.TransactionToDateTime),
        new EmptyObject(),
        new Links(self),
        new Meta());
}

public sealed record ConsentResponseData(
    string ConsentId,
    DateTimeOffset CreationDateTime,
    string Status,
    DateTimeOffset StatusUpdateDateTime,
    IReadOnlyList<string> Permissions,
    DateTimeOffset? ExpirationDateTime,
    DateTimeOffset? TransactionFromDateTime,
    DateTimeOffset? TransactionToDateTime);
