namespace OpenBanking.Shared;

/// <summary>
/// Identifiers seeded in Development only and documented in README.md. The passwords and the demo app secret are
/// public test values; nothing outside Development ever seeds them.
/// </summary>
public static class DevelopmentSeed
{
    /// <summary>Id of the approved demo organisation, "Demo Wallet Ltd" (also the sandbox tenant key of its apps).</summary>
    public const string DemoOrganisationId = "7d0c5b6a-3e1f-4a52-9c8d-2b4e6f8a0c1d";

    /// <summary>Legal name of the demo organisation.</summary>
    public const string DemoOrganisationName = "Demo Wallet Ltd";

    /// <summary>The bank admin's sign-in.</summary>
    public const string AdminEmail = "admin@sandbox.bank";

    /// <summary>The demo partner developer's sign-in.</summary>
    public const string PartnerEmail = "dev@demo-wallet.example";

    /// <summary>Client id of the demo partner app.</summary>
    public const string DemoAppClientId = "demo-wallet";
}
