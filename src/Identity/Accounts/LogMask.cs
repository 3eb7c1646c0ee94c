namespace OpenBanking.Identity.Accounts;

/// <summary>Keeps personal data out of logs: enough to correlate, not enough to identify.</summary>
public static class LogMask
{
    /// <summary><c>dev@demo-wallet.example</c> → <c>d***@demo-wallet.example</c>.</summary>
    public static string Email(string? email)
    {
        if (string.IsNullOrEmpty(email))
        {
            return "(none)";
        }

        var at = email.LastIndexOf('@');
        return at <= 0 ? "***" : $"{email[0]}***{email[at..]}";
    }
}
