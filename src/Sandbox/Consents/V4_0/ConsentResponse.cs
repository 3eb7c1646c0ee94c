using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Consents.V4_0;

/// <summary>OBReadConsentResponse1 of v4.0: ISO status codes and, where there is one, the status's reason.</summary>
public sealed record ConsentResponse(ConsentResponseData Data, EmptyObject Risk, Links Links, Meta Meta)
{
    public static ConsentResponse From(AccountAccessConsent consent, string self, DateTimeOffset now) => new(
        new ConsentResponseData(
            consent.Id,
            consent.CreationDateTime,
            ConsentStatusCode.Of(consent, now),
            ConsentStatusCode.Reason(consent, now) is { } reason ? [new StatusReason(reason)] : null,
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
    IReadOnlyList<StatusReason>? StatusReason,
    DateTimeOffset StatusUpdateDateTime,
    IReadOnlyList<string> Permissions,
    DateTimeOffset? ExpirationDateTime,
    DateTimeOffset? TransactionFromDateTime,
    DateTimeOffset? TransactionToDateTime);

/// <summary>OBStatusReason: every member is optional; the bank gives the description only.</summary>
public sealed record StatusReason(string StatusReasonDescription);
