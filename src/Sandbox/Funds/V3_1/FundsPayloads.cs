using OpenBanking.Sandbox.Accounts;
using OpenBanking.Sandbox.Consents.V3_1;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Funds.V3_1;

/// <summary>OBFundsConfirmationConsentResponse1.</summary>
public sealed record FundsConsentResponse(FundsConsentData Data, Links Links, Meta Meta)
{
    public static FundsConsentResponse From(FundsConfirmationConsent c, string self) => new(
        new FundsConsentData(c.Id, c.CreationDateTime, ConsentStatusWire.Name(c.Status), c.StatusUpdateDateTime, c.ExpirationDateTime,
            new FundsDebtorAccount(c.DebtorSchemeName, c.DebtorIdentification, c.DebtorName, c.DebtorSecondaryIdentification)),
        new Links(self), new Meta());
}

public sealed record FundsConsentData(
    string ConsentId, DateTimeOffset CreationDateTime, string Status, DateTimeOffset StatusUpdateDateTime,
    DateTimeOffset? ExpirationDateTime, FundsDebtorAccount DebtorAccount);

public sealed record FundsDebtorAccount(string SchemeName, string Identification, string? Name, string? SecondaryIdentification);

/// <summary>OBFundsConfirmationResponse1 (the same in v4.0).</summary>
public sealed record FundsConfirmationResponse(FundsConfirmationData Data, Links Links, Meta Meta)
{
    public static FundsConfirmationResponse From(FundsConfirmation confirmation, string self) => new(
        new FundsConfirmationData(confirmation.Id, confirmation.ConsentId, confirmation.CreationDateTime, confirmation.FundsAvailable,
            confirmation.Reference, new ObAmount(confirmation.Amount, confirmation.Currency)),
        new Links(self), new Meta());
}

public sealed record FundsConfirmationData(
    string FundsConfirmationId, string ConsentId, DateTimeOffset CreationDateTime, bool FundsAvailable, string Reference, ObAmount InstructedAmount);
