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
    string? Reference,
    DateTimeOffset? RequestedExecutionDateTime = null)
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

/// <summary>
/// The parts of a domestic payment consent request that read the same in v3.1.11 and v4.0: the authorisation asked
/// for, the SCA support data, and the instruction's identifications and local instrument. Each version's parser
/// calls these and validates the rest of its own shape.
/// </summary>
public static class PaymentConsentRules
{
    public static JsonElement? Authorisation(ObieValidator v, JsonElement data)
    {
        var authorisation = v.Object(data, "Authorisation", "Data.Authorisation", required: false, "AuthorisationType", "CompletionDateTime");
        if (authorisation is { } auth)
        {
            v.Enum(auth, "AuthorisationType", "Data.Authorisation.AuthorisationType", required: true, "Any", "Single");
            v.DateTime(auth, "CompletionDateTime", "Data.Authorisation.CompletionDateTime");
        }

        return authorisation;
    }

    /// <param name="closed">Whether unknown members are refused: v3.1.11 closes OBSCASupportData1, v4.0 does not.</param>
    public static JsonElement? ScaSupportData(ObieValidator v, JsonElement data, bool closed)
    {
        var sca = closed
            ? v.Object(data, "SCASupportData", "Data.SCASupportData", required: false,
                "RequestedSCAExemptionType", "AppliedAuthenticationApproach", "ReferencePaymentOrderId")
            : v.Object(data, "SCASupportData", "Data.SCASupportData", required: false);
        if (sca is { } s)
        {
            v.Enum(s, "RequestedSCAExemptionType", "Data.SCASupportData.RequestedSCAExemptionType", required: false,
                "BillPayment", "ContactlessTravel", "EcommerceGoods", "EcommerceServices", "Kiosk", "Parking", "PartyToParty");
            v.Enum(s, "AppliedAuthenticationApproach", "Data.SCASupportData.AppliedAuthenticationApproach", required: false, "CA", "SCA");
            v.String(s, "ReferencePaymentOrderId", "Data.SCASupportData.ReferencePaymentOrderId", required: false, 40);
        }

        return sca;
    }

    /// <summary>InstructionIdentification, EndToEndIdentification and a local instrument this bank pays through.</summary>
    /// <param name="endToEndRequired">A domestic payment's Initiation requires EndToEndIdentification; a scheduled one's does not.</param>
    public static void Instruction(ObieValidator v, JsonElement initiation, string path, bool endToEndRequired = true)
    {
        v.String(initiation, "InstructionIdentification", path + ".InstructionIdentification", required: true, 35);
        v.String(initiation, "EndToEndIdentification", path + ".EndToEndIdentification", required: endToEndRequired, 35);
        if (v.String(initiation, "LocalInstrument", path + ".LocalInstrument", required: false, 50) is { } instrument
            && !PaymentConsentTerms.SupportedLocalInstruments.Contains(instrument, StringComparer.Ordinal))
        {
            v.Add(ObieErrorCodes.UnsupportedLocalInstrument,
                $"Supported local instruments: {string.Join(", ", PaymentConsentTerms.SupportedLocalInstruments)}.", path + ".LocalInstrument");
        }
    }

    /// <summary>A scheduled payment's Permission: "Create" is the only one the standard defines (both versions).</summary>
    public static void Permission(ObieValidator v, JsonElement data)
        => v.Enum(data, "Permission", "Data.Permission", required: true, "Create");

    /// <summary>
    /// A scheduled payment's RequestedExecutionDateTime, required. Whether it is in the future is the service's check,
    /// made on the tenant's clock (a parser has no clock).
    /// </summary>
    public static DateTimeOffset? RequestedExecution(ObieValidator v, JsonElement initiation, string path)
    {
        if (!initiation.TryGetProperty("RequestedExecutionDateTime", out _))
        {
            v.Add(ObieErrorCodes.FieldMissing, "RequestedExecutionDateTime is required.", path + ".RequestedExecutionDateTime");
            return null;
        }

        return v.DateTime(initiation, "RequestedExecutionDateTime", path + ".RequestedExecutionDateTime");
    }
}
