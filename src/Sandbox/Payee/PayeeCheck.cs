using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenBanking.Sandbox.Payee;

/// <summary>Personal or business, as the payer says (the request) and as the bank holds it (the account).</summary>
public enum PayeeAccountType
{
    Personal,
    Business,
}

/// <summary>
/// One Confirmation of Payee question: the account (sort code and number, and a building society's roll number when
/// it has one), the name the payer typed and the kind of account they expect; null when they did not say.
/// </summary>
public sealed record PayeeQuery(string SortCode, string AccountNumber, string Name, PayeeAccountType? AccountType, string? SecondaryIdentification = null)
{
    /// <summary>The query for a payment's creditor as UK.OBIE.SortCodeAccountNumber (14 digits), or null for any other scheme or shape.</summary>
    public static PayeeQuery? ForCreditor(string schemeName, string identification, string name, PayeeAccountType? accountType, string? secondaryIdentification)
        => schemeName == PayeeChecks.SortCodeScheme && identification.Length == 14 && identification.All(char.IsAsciiDigit)
            ? new PayeeQuery(identification[..6], identification[6..], name, accountType, secondaryIdentification)
            : null;

    /// <summary>
    /// The query for a payment consent's creditor: the name the app sent, the account type from the Risk block's
    /// BeneficiaryAccountType when it has one (business, charity, corporate… are business accounts), and the roll
    /// number from CreditorAccount.SecondaryIdentification. Null when the creditor is not a sort-code account.
    /// </summary>
    public static PayeeQuery? ForConsent(string schemeName, string identification, string name, string initiationJson, string riskJson)
    {
        if (ForCreditor(schemeName, identification, name, null, null) is not { } query)
        {
            return null;
        }

        using var risk = JsonDocument.Parse(riskJson);
        using var initiation = JsonDocument.Parse(initiationJson);
        PayeeAccountType? type = risk.RootElement.ValueKind == JsonValueKind.Object
            && risk.RootElement.TryGetProperty("BeneficiaryAccountType", out var beneficiary) && beneficiary.ValueKind == JsonValueKind.String
            ? beneficiary.GetString() is "Business" or "BusinessSavingsAccount" or "Charity" or "Collection" or "Corporate" or "Government"
                ? PayeeAccountType.Business : PayeeAccountType.Personal
            : null;
        var secondary = initiation.RootElement.ValueKind == JsonValueKind.Object
            && initiation.RootElement.TryGetProperty("CreditorAccount", out var creditor) && creditor.ValueKind == JsonValueKind.Object
            && creditor.TryGetProperty("SecondaryIdentification", out var roll) && roll.ValueKind == JsonValueKind.String
            ? roll.GetString() : null;
        return query with { AccountType = type, SecondaryIdentification = secondary };
    }
}

/// <summary>What the check means for the payer, whatever the reason code.</summary>
public enum PayeeOutcome
{
    /// <summary>The name (and the account type, if given) match.</summary>
    Match,

    /// <summary>Nearly: a close spelling or the other kind of account; the name on the account is returned.</summary>
    CloseMatch,

    /// <summary>The name does not match.</summary>
    NoMatch,

    /// <summary>The bank has no such account.</summary>
    AccountNotFound,

    /// <summary>The check could not be made (opted out, switched, not covered, a roll number missing, a bank not on the service).</summary>
    NotChecked,
}

/// <summary>
/// The answer, in Pay.UK's terms: <see cref="Matched"/> only for a full match; otherwise a <see cref="ReasonCode"/>
/// (<see cref="PayeeReasonCodes"/>) and, for a close match, the <see cref="Name"/> on the account.
/// </summary>
public sealed record PayeeCheck(PayeeOutcome Outcome, bool Matched, string? ReasonCode, string? Name)
{
    public static readonly PayeeCheck Matching = new(PayeeOutcome.Match, true, null, null);

    /// <summary>The risk points a payment to this payee earns, and why in words; null when the check found nothing wrong.</summary>
    [JsonIgnore]
    public (int Points, string Reason)? Risk => Outcome switch
    {
        PayeeOutcome.NoMatch => (PayeeChecks.NoMatchPoints, $"ConfirmationOfPayee: the name does not match the account ({ReasonCode})"),
        PayeeOutcome.AccountNotFound => (PayeeChecks.NoMatchPoints, $"ConfirmationOfPayee: the account does not exist ({ReasonCode})"),
        PayeeOutcome.CloseMatch => (PayeeChecks.CloseMatchPoints, $"ConfirmationOfPayee: close match only ({ReasonCode})"),
        _ => null,
    };
}

/// <summary>The Pay.UK Confirmation of Payee reason codes the sandbox answers.</summary>
public static class PayeeReasonCodes
{
    /// <summary>Account name does not match.</summary>
    public const string NoMatch = "ANNM";

    /// <summary>May be a match: a close spelling (the account's name is returned).</summary>
    public const string MayBeAMatch = "MBAM";

    /// <summary>The name matches, but it is a business account (the payer said personal).</summary>
    public const string BusinessAccountNameMatched = "BANM";

    /// <summary>The name matches, but it is a personal account (the payer said business).</summary>
    public const string PersonalAccountNameMatched = "PANM";

    /// <summary>A close match, and a business account (the payer said personal).</summary>
    public const string BusinessAccountMayBeAMatch = "BAMM";

    /// <summary>A close match, and a personal account (the payer said business).</summary>
    public const string PersonalAccountMayBeAMatch = "PAMM";

    /// <summary>No such account at that sort code.</summary>
    public const string AccountDoesNotExist = "AC01";

    /// <summary>The secondary reference (a building society roll number) is missing or wrong.</summary>
    public const string InvalidSecondaryReference = "IVCR";

    /// <summary>The account is of a kind Confirmation of Payee does not cover.</summary>
    public const string AccountNotSupported = "ACNS";

    /// <summary>The account holder opted out of Confirmation of Payee.</summary>
    public const string OptedOut = "OPTO";

    /// <summary>The account was switched to another bank (Current Account Switch Service).</summary>
    public const string AccountSwitched = "CASS";

    /// <summary>The sort code's bank does not answer Confirmation of Payee.</summary>
    public const string SortCodeNotSupported = "SCNS";
}
