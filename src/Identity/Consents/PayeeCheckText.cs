using OpenBanking.Identity.Platform;

namespace OpenBanking.Identity.Consents;

/// <summary>How the consent page says Confirmation of Payee's answer: a lead word (never colour alone), the message, and how loudly.</summary>
public sealed record PayeeCheckWords(string Lead, string Message, string? AccountName, string? After, string Tone);

/// <summary>
/// The customer's words for each Confirmation of Payee outcome and reason code (docs/confirmation-of-payee.md), shown
/// before they approve a payment. The name on the account is shown only for a close match, as the scheme allows.
/// </summary>
public static class PayeeCheckText
{
    public const string Success = "success";
    public const string Warning = "warning";
    public const string Error = "error";

    private const string Risk = "If you go ahead, your money may go to someone else and you may not get it back.";

    public static PayeeCheckWords Of(SandboxPayeeCheck check, string creditorName) => (check.Outcome, check.ReasonCode) switch
    {
        ("Match", _) => new("Confirmed:", $"the name matches the account — it is held by {creditorName}.", null, null, Success),
        ("CloseMatch", "BANM") => new("Check the account type:", "the name matches, but it is a business account, held by", check.Name, ".", Warning),
        ("CloseMatch", "PANM") => new("Check the account type:", "the name matches, but it is a personal account, held by", check.Name, ".", Warning),
        ("CloseMatch", "BAMM") => new("Close match:", "this is a business account held by", check.Name, ". Check it is who you mean to pay.", Warning),
        ("CloseMatch", "PAMM") => new("Close match:", "this is a personal account held by", check.Name, ". Check it is who you mean to pay.", Warning),
        ("CloseMatch", _) => new("Close match:", "the name you entered doesn't quite match — the account is held by", check.Name, ". Check it is who you mean to pay.", Warning),
        ("NoMatch", _) => new("The name doesn't match:", $"this account is not held by {creditorName}. {Risk}", null, null, Error),
        ("AccountNotFound", _) => new("Account not found:", $"the sort code and account number don't match an account. {Risk}", null, null, Error),
        (_, "OPTO") => new("We couldn't check this account:", "its holder has chosen not to take part in name checks. Make sure you trust who you are paying.", null, null, Warning),
        (_, "CASS") => new("We couldn't check this account:", "it has been switched to another bank. Ask the payee for their new account details.", null, null, Warning),
        (_, "IVCR") => new("We couldn't check this account:", "it needs a reference or roll number that was missing or wrong.", null, null, Warning),
        _ => new("We couldn't check this account:", "the payee's bank could not confirm the name. Make sure you trust who you are paying.", null, null, Warning),
    };
}
