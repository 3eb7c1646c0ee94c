namespace OpenBanking.Identity.Grants;

/// <summary>
/// One step of a customer's journey through the consent pages (or the headless <c>/sandbox/authorize</c>), kept so a
/// partner can see which pages their customer reached and where they stopped. Never a password, code or token.
/// </summary>
public sealed class ConsentJourneyStep
{
    public long Id { get; set; }

    public required string ConsentId { get; set; }

    public required string ClientId { get; set; }

    /// <summary>One of <see cref="JourneySteps"/>.</summary>
    public required string Step { get; set; }

    /// <summary>The page (path) the step happened on.</summary>
    public string? Page { get; set; }

    /// <summary>What happened, in words (no secrets).</summary>
    public string? Detail { get; set; }

    /// <summary>
    /// A hash of the pushed request's <c>request_uri</c>: the sign-in pages only know the URL they return to, and find
    /// the consent of their journey through it. Never the request_uri itself.
    /// </summary>
    public string? RequestKey { get; set; }

    /// <summary>UTC.</summary>
    public DateTime At { get; set; }
}

/// <summary>The steps of <see cref="ConsentJourneyStep.Step"/>, as the Portal's consent inspector names them.</summary>
public static class JourneySteps
{
    public const string Started = "started";
    public const string SignedIn = "signed-in";
    public const string SignInFailed = "sign-in-failed";
    public const string SecondFactor = "second-factor";
    public const string SecondFactorFailed = "second-factor-failed";
    public const string AccountsChosen = "accounts-chosen";
    public const string Approved = "approved";
    public const string Denied = "denied";
    public const string CodeIssued = "code-issued";
}

/// <summary>The pages a journey step is recorded on.</summary>
public static class JourneyPages
{
    public const string Authorize = "/connect/authorize";
    public const string SignIn = "/customer/sign-in";
    public const string SecondFactor = "/customer/second-factor";
    public const string Headless = "/sandbox/authorize";
}
