using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBanking.Identity.Accounts;
using OpenBanking.Identity.Infrastructure;

namespace OpenBanking.Identity.Pages.Account;

[AllowAnonymous]
public sealed class LoginModel(
    SignInManager<ApplicationUser> signIn,
    ReturnUrls returnUrls,
    ILogger<LoginModel> logger) : PageModel
{
    public const string LockedOutMessage =
        "This account is locked after too many failed sign-in attempts. Try again in 15 minutes, or reset your password.";

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>
    /// Where "Create a developer account" returns to, when it differs from <see cref="ReturnUrl"/>: a Portal sign-in
    /// passes a pending authorization request (valid for minutes) and, here, the Portal's lasting sign-in entry.
    /// </summary>
    [BindProperty(SupportsGet = true)]
    public string? SignUpReturnUrl { get; set; }

    public bool NeedsConfirmation { get; private set; }

    /// <summary>The return address for the sign-up and resend links.</summary>
    public string? RegisterReturnUrl => SignUpReturnUrl ?? ReturnUrl;

    public void OnGet() => Sanitize();

    public async Task<IActionResult> OnPostAsync()
    {
        Sanitize();
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var users = signIn.UserManager;
        var result = await signIn.PasswordSignInAsync(Input.Email.Trim(), Input.Password, Input.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            var user = await users.FindByNameAsync(Input.Email.Trim());
            AccountLog.SignedIn(logger, user!.Id);
            if (!user.TwoFactorEnabled && await users.IsInRoleAsync(user, Roles.Admin))
            {
                // The rule itself is enforced by the Member policy; this only saves the admin a detour.
                return LocalRedirect(AccountPaths.TwoFactor);
            }

            return returnUrls.RedirectAfterSignIn(this, ReturnUrl);
        }

        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("./LoginWith2fa", new { ReturnUrl, Input.RememberMe });
        }

        if (result.IsLockedOut)
        {
            AccountLog.LockedOut(logger, Input.Email);
            ModelState.AddModelError(string.Empty, LockedOutMessage);
            return Page();
        }

        if (result.IsNotAllowed && await users.FindByNameAsync(Input.Email.Trim()) is { } unconfirmed)
        {
            // Identity says "not allowed" before it looks at the password, which would tell anyone that the address
            // has an account. Only someone who knows the password learns why; wrong guesses still count to lockout.
            if (await users.IsLockedOutAsync(unconfirmed))
            {
                ModelState.AddModelError(string.Empty, LockedOutMessage);
                return Page();
            }

            if (await users.CheckPasswordAsync(unconfirmed, Input.Password))
            {
                NeedsConfirmation = true;
                ModelState.AddModelError(string.Empty,
                    "Confirm your email address before you sign in: open the link in the email we sent you.");
                return Page();
            }

            await users.AccessFailedAsync(unconfirmed);
        }

        ModelState.AddModelError(string.Empty, "The email address or password is not right.");
        return Page();
    }

    private void Sanitize()
    {
        ReturnUrl = returnUrls.Sanitize(ReturnUrl, Url);
        SignUpReturnUrl = returnUrls.Sanitize(SignUpReturnUrl, Url);
    }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter an email address like name@example.com.")]
        [Display(Name = "Email address")]
        public string Email { get; set; } = string.Empty;

        [Required(ErrorMessage = "Enter your password.")]
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string Password { get; set; } = string.Empty;

        [Display(Name = "Keep me signed in on this device")]
        public bool RememberMe { get; set; }
    }
}
