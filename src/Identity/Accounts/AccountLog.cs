using OpenBanking.ServiceDefaults.Privacy;

namespace OpenBanking.Identity.Accounts;

/// <summary>Account events worth a log line. Emails are classified personal data (logged as a keyed hash); passwords, codes and tokens never appear.</summary>
internal static partial class AccountLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Partner account registered for {Email}")]
    public static partial void Registered(ILogger logger, [PersonalData] string email);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registration attempted for an existing account {Email}; notice sent")]
    public static partial void RegisteredAgain(ILogger logger, [PersonalData] string email);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} signed in")]
    public static partial void SignedIn(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sign-in refused: account {Email} is locked out")]
    public static partial void LockedOut(ILogger logger, [PersonalData] string email);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} signed out")]
    public static partial void SignedOut(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} enabled two-factor authentication")]
    public static partial void TwoFactorEnabled(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} disabled two-factor authentication")]
    public static partial void TwoFactorDisabled(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} generated new recovery codes")]
    public static partial void RecoveryCodesGenerated(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId} signed in with a recovery code")]
    public static partial void RecoveryCodeUsed(ILogger logger, string userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Password reset for user {UserId}")]
    public static partial void PasswordReset(ILogger logger, string userId);
}
