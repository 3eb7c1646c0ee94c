using OpenBanking.Identity.Platform;
using OpenBanking.Shared;

namespace OpenBanking.Identity.Consents;

/// <summary>The consent kinds the customer meets, as Identity tells them apart.</summary>
public enum CustomerConsentKind
{
    AccountAccess,
    DomesticPayment,
    FundsConfirmation,
    DomesticScheduledPayment,
    DomesticStandingOrder,
    DomesticVrp,
    InternationalPayment,
}

/// <summary>
/// One place for what differs by consent kind on Identity's side: the OAuth scope that authorises it, and the words the
/// consent page and the connected-apps page use. The Sandbox names the kind in its summary; when it names one this
/// Identity does not know, the id's prefix (the Sandbox's <c>ConsentKinds</c> issues one per kind) decides.
/// </summary>
public static class ConsentKindText
{
    // The Sandbox's summaries spell the first kinds in kebab case ("domestic-payment") and the recurring ones in
    // Pascal case ("DomesticStandingOrder"); both spellings are read, so neither side has to change the other's.
    private static readonly Dictionary<string, CustomerConsentKind> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["account-access"] = CustomerConsentKind.AccountAccess,
        ["AccountAccess"] = CustomerConsentKind.AccountAccess,
        ["domestic-payment"] = CustomerConsentKind.DomesticPayment,
        ["DomesticPayment"] = CustomerConsentKind.DomesticPayment,
        ["funds-confirmation"] = CustomerConsentKind.FundsConfirmation,
        ["FundsConfirmation"] = CustomerConsentKind.FundsConfirmation,
        ["domestic-scheduled-payment"] = CustomerConsentKind.DomesticScheduledPayment,
        ["DomesticScheduledPayment"] = CustomerConsentKind.DomesticScheduledPayment,
        ["domestic-standing-order"] = CustomerConsentKind.DomesticStandingOrder,
        ["DomesticStandingOrder"] = CustomerConsentKind.DomesticStandingOrder,
        ["domestic-vrp"] = CustomerConsentKind.DomesticVrp,
        ["DomesticVrp"] = CustomerConsentKind.DomesticVrp,
        ["international-payment"] = CustomerConsentKind.InternationalPayment,
        ["InternationalPayment"] = CustomerConsentKind.InternationalPayment,
    };

    private static readonly (string Prefix, CustomerConsentKind Kind)[] ByPrefix =
    [
        ("aac-", CustomerConsentKind.AccountAccess),
        ("pdc-", CustomerConsentKind.DomesticPayment),
        ("fcc-", CustomerConsentKind.FundsConfirmation),
        ("sdc-", CustomerConsentKind.DomesticScheduledPayment),
        ("soc-", CustomerConsentKind.DomesticStandingOrder),
        ("vrc-", CustomerConsentKind.DomesticVrp),
        ("ipc-", CustomerConsentKind.InternationalPayment),
    ];

    public static CustomerConsentKind? Of(SandboxConsent consent) => Of(consent.Kind, consent.ConsentId);

    public static CustomerConsentKind? Of(string? kind, string consentId)
    {
        if (kind is not null && ByName.TryGetValue(kind, out var named))
        {
            return named;
        }

        foreach (var (prefix, byPrefix) in ByPrefix)
        {
            if (consentId.StartsWith(prefix, StringComparison.Ordinal))
            {
                return byPrefix;
            }
        }

        return null;
    }

    /// <summary>The one Open Banking scope a token for this kind carries: every payment kind is the payments API's.</summary>
    public static string? Scope(CustomerConsentKind? kind) => kind switch
    {
        CustomerConsentKind.AccountAccess => PlatformScopes.Accounts,
        CustomerConsentKind.FundsConfirmation => PlatformScopes.FundsConfirmations,
        CustomerConsentKind.DomesticPayment or CustomerConsentKind.DomesticScheduledPayment
            or CustomerConsentKind.DomesticStandingOrder or CustomerConsentKind.DomesticVrp
            or CustomerConsentKind.InternationalPayment => PlatformScopes.Payments,
        _ => null,
    };

    /// <summary>A payment of any kind: paid from one account of the customer's, chosen on the consent page.</summary>
    public static bool IsPayment(CustomerConsentKind? kind) => kind is CustomerConsentKind.DomesticPayment
        or CustomerConsentKind.DomesticScheduledPayment or CustomerConsentKind.DomesticStandingOrder or CustomerConsentKind.DomesticVrp
        or CustomerConsentKind.InternationalPayment;

    /// <summary>A payment abroad: what the customer pays, the rate and the fees are the Sandbox's plain-words terms.</summary>
    public static bool IsInternational(CustomerConsentKind? kind) => kind is CustomerConsentKind.InternationalPayment;

    /// <summary>
    /// Whether the customer can end the consent from the connected-apps page: a single payment (domestic or abroad) is
    /// used once and ends by itself, and the Sandbox has no customer revocation for it.
    /// </summary>
    public static bool CanEnd(CustomerConsentKind? kind) => kind is not (CustomerConsentKind.DomesticPayment or CustomerConsentKind.InternationalPayment);

    /// <summary>The kinds that pay later or repeatedly, described by the Sandbox's plain-words terms.</summary>
    public static bool IsRecurring(CustomerConsentKind? kind) => kind is CustomerConsentKind.DomesticScheduledPayment
        or CustomerConsentKind.DomesticStandingOrder or CustomerConsentKind.DomesticVrp;

    /// <summary>The badge on the connected-apps page.</summary>
    public static string Name(CustomerConsentKind? kind) => kind switch
    {
        CustomerConsentKind.DomesticPayment => "Payment",
        CustomerConsentKind.FundsConfirmation => "Funds confirmation",
        CustomerConsentKind.DomesticScheduledPayment => "Scheduled payment",
        CustomerConsentKind.DomesticStandingOrder => "Standing order",
        CustomerConsentKind.DomesticVrp => "Variable recurring payments",
        CustomerConsentKind.InternationalPayment => "Payment abroad",
        _ => "Account access",
    };

    /// <summary>The consent page's headline for the recurring kinds.</summary>
    public static string Headline(CustomerConsentKind? kind) => kind switch
    {
        CustomerConsentKind.DomesticScheduledPayment => "Schedule a payment",
        CustomerConsentKind.DomesticStandingOrder => "Set up a standing order",
        CustomerConsentKind.DomesticVrp => "Allow variable recurring payments",
        CustomerConsentKind.InternationalPayment => "Confirm a payment abroad",
        _ => "Confirm a payment",
    };

    /// <summary>The connected-apps page's button that ends the consent, in what it does for this kind.</summary>
    public static string EndAction(CustomerConsentKind? kind) => kind switch
    {
        CustomerConsentKind.DomesticScheduledPayment => "Cancel scheduled payment",
        CustomerConsentKind.DomesticStandingOrder => "Cancel standing order",
        CustomerConsentKind.DomesticVrp => "Stop payments (revoke)",
        _ => "Withdraw access",
    };

    /// <summary>The confirmation step's question.</summary>
    public static string EndQuestion(CustomerConsentKind? kind, string appName) => kind switch
    {
        CustomerConsentKind.DomesticScheduledPayment => $"Cancel the payment {appName} scheduled?",
        CustomerConsentKind.DomesticStandingOrder => $"Cancel this standing order set up by {appName}?",
        CustomerConsentKind.DomesticVrp => $"Stop {appName}'s payments?",
        _ => $"Withdraw {appName}'s access?",
    };

    /// <summary>What ending the consent means, for the confirmation step.</summary>
    public static string EndConsequence(CustomerConsentKind? kind, string appName) => kind switch
    {
        CustomerConsentKind.DomesticScheduledPayment => $"The payment {appName} scheduled will not be made.",
        CustomerConsentKind.DomesticStandingOrder => "No further payments of this standing order will be made. Payments already made stay made.",
        CustomerConsentKind.DomesticVrp => $"{appName} will not be able to make any more payments under these limits. Payments already made stay made.",
        _ => $"{appName} will no longer be able to use this {Name(kind).ToLowerInvariant()} consent.",
    };

    /// <summary>The message after ending it.</summary>
    public static string Ended(CustomerConsentKind? kind) => kind switch
    {
        CustomerConsentKind.DomesticScheduledPayment => "Scheduled payment cancelled. It will not be made.",
        CustomerConsentKind.DomesticStandingOrder => "Standing order cancelled. No further payments will be made.",
        CustomerConsentKind.DomesticVrp => "Payments stopped. The app can no longer make payments under this consent; it has to ask you again.",
        _ => "Access withdrawn. The app can no longer use this consent; it has to ask you again.",
    };
}
