namespace OpenBanking.Identity.Accounts;

/// <summary>The texts of the account emails. Plain text, so no user input can turn into markup.</summary>
internal static class AccountMail
{
    public static MailMessage ConfirmEmail(string to, string link) => new(
        to,
        "Confirm your email address",
        $"""
        Welcome to the Sandbox Bank developer platform.

        Confirm your email address to activate your partner developer account:

        {link}

        If you did not create this account, ignore this message; the account stays inactive.
        """);

    public static MailMessage AlreadyRegistered(string to, string signInLink, string resetLink) => new(
        to,
        "Someone tried to register with your email address",
        $"""
        Someone (perhaps you) tried to create a developer account with this email address, which already has one.
        No new account was created.

        Sign in:

        {signInLink}

        Forgot your password? Reset it:

        {resetLink}

        If this was not you, you can ignore this message.
        """);

    public static MailMessage ResetPassword(string to, string link) => new(
        to,
        "Reset your password",
        $"""
        Someone (perhaps you) asked to reset the password of your Sandbox Bank developer account.

        Choose a new password:

        {link}

        If you did not ask for this, ignore this message; your password stays the same.
        """);
}
