using System.Text.Json;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Payments;

/// <summary>
/// A payment consent's terms as a validated request of any version gives them: the Initiation and Risk exactly as
/// sent (every response echoes them and the payment must repeat them), and the parts the domain reads from them.
/// </summary>
public sealed record PaymentConsentTerms(
    JsonElement Initiation,
    JsonElement Risk,
    JsonElement? Authorisation,
    JsonElement? ScaSupportData,
    string? ReadRefundAccount,
    long AmountMinor,
    string Currency,
    AccountReference Creditor,
    AccountReference? Debtor,
    string? Reference)
{
    /// <summary>Local instruments of the sterling and euro schemes this bank pays through (in every version).</summary>
    public static readonly string[] SupportedLocalInstruments =
        ["UK.OBIE.FPS", "UK.OBIE.BACS", "UK.OBIE.CHAPS", "UK.OBIE.SEPACreditTransfer", "UK.OBIE.SEPAInstantCreditTransfer"];

    /// <summary>The consent as the bank keeps it: the terms, and the Initiation and Risk as sent (every response echoes them).</summary>
    public DomesticPaymentConsent ToConsent(string clientId) => new()
    {
        Id = DomesticPaymentConsent.NewId(),
        ClientId = clientId,
        InitiationJson = Initiation.GetRawText(),
        RiskJson = Risk.GetRawText(),
        AuthorisationJson = Authorisation?.GetRawText(),
        ScaSupportDataJson = ScaSupportData?.GetRawText(),
        ReadRefundAccount = ReadRefundAccount,
        AmountMinor = AmountMinor,
        Currency = Currency,
        CreditorName = Creditor.Name!,
        CreditorSchemeName = Creditor.SchemeName,
        CreditorIdentification = Creditor.Identification,
        Reference = Reference,
        DebtorSchemeName = Debtor?.SchemeName,
        DebtorIdentification = Debtor?.Identification,
    };
}
