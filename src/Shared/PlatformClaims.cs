namespace OpenBanking.Shared;

/// <summary>Claim types and OAuth values the services agree on.</summary>
public static class PlatformClaims
{
    /// <summary>The partner organisation (sandbox tenant) an access token acts for.</summary>
    public const string OrganisationId = "org_id";

    /// <summary>The Open Banking consent a customer token is bound to.</summary>
    public const string ConsentId = "consent_id";

    /// <summary>The audience of every access token for the bank APIs.</summary>
    public const string OpenBankingAudience = "open-banking-api";

    /// <summary>The audience of tokens for the Sandbox's internal endpoints.</summary>
    public const string SandboxAudience = "sandbox";

    /// <summary>The audience of tokens for Identity's own internal endpoints (client management).</summary>
    public const string IdentityAudience = "identity";

    /// <summary>The audience of tokens for the Gateway's internal endpoints (call logs).</summary>
    public const string GatewayAudience = "gateway";

    /// <summary>The confirmation claim of a sender-constrained access token (<c>{"jkt": …}</c> for DPoP, RFC 9449 §6).</summary>
    public const string Confirmation = "cnf";

    /// <summary>The JWK thumbprint member of <see cref="Confirmation"/>.</summary>
    public const string ConfirmationJkt = "jkt";

    /// <summary>Private claim of a DPoP-bound refresh token (never in an access token): the key it is bound to.</summary>
    public const string DpopJkt = "dpop_jkt";
}

/// <summary>OAuth scopes of the platform.</summary>
public static class PlatformScopes
{
    /// <summary>Account and transaction information (AIS).</summary>
    public const string Accounts = "accounts";

    /// <summary>Payment initiation (PIS).</summary>
    public const string Payments = "payments";

    /// <summary>Confirmation of funds (CBPII).</summary>
    public const string FundsConfirmations = "fundsconfirmations";

    /// <summary>Internal: Identity (and partner tooling in the Portal) calling the Sandbox's internal endpoints.</summary>
    public const string SandboxInternal = "sandbox.internal";

    /// <summary>Internal: the Portal managing partner apps (OAuth clients) through Identity.</summary>
    public const string IdentityClients = "identity.clients";

    /// <summary>Internal: the Sandbox reading a partner app's security settings (signing keys, DPoP, signed requests) from Identity.</summary>
    public const string IdentityClientsRead = "identity.clients.read";

    /// <summary>Internal: the Portal reading partners' API call logs from the Gateway.</summary>
    public const string GatewayCalls = "gateway.calls";

    /// <summary>The scopes a partner app may be given for the Open Banking APIs.</summary>
    public static readonly IReadOnlyList<string> OpenBanking = [Accounts, Payments, FundsConfirmations];
}
