using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBanking.Identity.Accounts;
using OpenBanking.Identity.Infrastructure;

namespace OpenBanking.Identity.Pages.Account.Manage;

/// <summary>
/// Enrols an authenticator app (TOTP), shows recovery codes once, regenerates them, turns 2FA off. Reachable by an
/// admin without 2FA (policy SignedIn, see AccountServiceExtensions); every other Manage page is not. New recovery
/// codes need a current authenticator code, turning 2FA off that or a recovery code: a stolen session alone cannot
/// weaken the account. Wrong codes count towards the lockout, so they cannot be guessed.
/// </summary>
public sealed class TwoFactorModel(
    UserManager<ApplicationUser> users,
    SignInManager<ApplicationUser> signIn,
    ILogger<TwoFactorModel> logger) : PageModel
{
    private const int RecoveryCodeCount = 10;

    [BindProperty]
    [Display(Name = "Verification code")]
    public string? Code { get; set; }

    public bool IsEnabled { get; private set; }

    public bool IsAdmin { get; private set; }

    public string? SharedKey { get; private set; }

    public string? AuthenticatorUri { get; private set; }

    public string? QrCodeDataUri { get; private set; }

    public int RecoveryCodesLeft { get; private set; }

    /// <summary>Set only in the response that created them: they are stored hashed and never shown again.</summary>
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public string? StatusMessage { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostEnableAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        if (user.TwoFactorEnabled)
        {
            return RedirectToPage();
        }

        var code = Authenticator.NormalizeCode(Code);
        if (code.Length != 6 || !code.All(char.IsAsciiDigit)
            || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            ModelState.AddModelError(nameof(Code), "That code is not right. Enter the 6-digit code your authenticator app shows now.");
            await LoadAsync(user);
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        RecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
        // Enabling 2FA changes the security stamp; re-issue the cookie so this session stays valid.
        await signIn.RefreshSignInAsync(user);
        AccountLog.TwoFactorEnabled(logger, user.Id);
        StatusMessage = "Two-factor authentication is on. From now on, signing in asks for a code from your authenticator app.";
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        if (!user.TwoFactorEnabled)
        {
            return RedirectToPage();
        }

        if (!await VerifySecondFactorAsync(user, allowRecoveryCode: false))
        {
            await LoadAsync(user);
            return Page();
        }

        RecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount) ?? []];
        AccountLog.RecoveryCodesGenerated(logger, user.Id);
        StatusMessage = "New recovery codes made. The old ones no longer work.";
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        if (await users.GetUserAsync(User) is not { } user)
        {
            return Challenge();
        }

        if (await users.IsInRoleAsync(user, Roles.Admin))
        {
            ModelState.AddModelError(string.Empty, "Bank admins must keep two-factor authentication on.");
            await LoadAsync(user);
            return Page();
        }

        if (user.TwoFactorEnabled && !await VerifySecondFactorAsync(user, allowRecoveryCode: true))
        {
            await LoadAsync(user);
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, false);
        // A later enrolment starts from a new key: the old one may sit in a lost phone.
        await users.ResetAuthenticatorKeyAsync(user);
        await signIn.RefreshSignInAsync(user);
        AccountLog.TwoFactorDisabled(logger, user.Id);
        StatusMessage = "Two-factor authentication is off.";
        await LoadAsync(user);
        return Page();
    }

    /// <summary>Whether <see cref="Code"/> is the authenticator's current code (or, if allowed, an unused recovery code, which it uses up).</summary>
    private async Task<bool> VerifySecondFactorAsync(ApplicationUser user, bool allowRecoveryCode)
    {
        if (await users.IsLockedOutAsync(user))
        {
            ModelState.AddModelError(nameof(Code), "Too many wrong codes. Try again in 15 minutes.");
            return false;
        }

        var code = Authenticator.NormalizeCode(Code);
        var valid = code.Length == 6 && code.All(char.IsAsciiDigit)
            ? await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code)
            : allowRecoveryCode && !string.IsNullOrWhiteSpace(Code)
                && (await users.RedeemTwoFactorRecoveryCodeAsync(user, Code.Replace(" ", string.Empty, StringComparison.Ordinal))).Succeeded;
        if (valid)
        {
            await users.ResetAccessFailedCountAsync(user);
            return true;
        }

        await users.AccessFailedAsync(user);
        ModelState.AddModelError(nameof(Code), allowRecoveryCode
            ? "That code is not right. Enter the 6-digit code your authenticator app shows now, or one of your recovery codes."
            : "That code is not right. Enter the 6-digit code your authenticator app shows now.");
        return false;
    }

    private async Task LoadAsync(ApplicationUser user)
    {
        IsEnabled = user.TwoFactorEnabled;
        IsAdmin = await users.IsInRoleAsync(user, Roles.Admin);
        if (IsEnabled)
        {
            RecoveryCodesLeft = await users.CountRecoveryCodesAsync(user);
            return;
        }

        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }

        SharedKey = Authenticator.FormatKey(key!);
        AuthenticatorUri = Authenticator.OtpAuthUri(user.Email!, key!);
        QrCodeDataUri = Authenticator.QrCodeDataUri(AuthenticatorUri);
    }
}
