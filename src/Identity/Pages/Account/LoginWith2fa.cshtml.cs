using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBanking.Identity.Accounts;
using OpenBanking.Identity.Infrastructure;

namespace OpenBanking.Identity.Pages.Account;

[AllowAnonymous]
public sealed class LoginWith2faModel(
    SignInManager<ApplicationUser> signIn,
    ReturnUrls returnUrls,
    ILogger<LoginWith2faModel> logger) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool RememberMe { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        ReturnUrl = returnUrls.Sanitize(ReturnUrl, Url);
        // Only reachable between a right password and the second factor (Identity's two-factor cookie).
        return await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("./Login") : Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        ReturnUrl = returnUrls.Sanitize(ReturnUrl, Url);
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return RedirectToPage("./Login");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await signIn.TwoFactorAuthenticatorSignInAsync(
            Authenticator.NormalizeCode(Input.Code), RememberMe, Input.RememberMachine);
        if (result.Succeeded)
        {
            AccountLog.SignedIn(logger, user.Id);
            return returnUrls.RedirectAfterSignIn(this, ReturnUrl);
        }

        if (result.IsLockedOut)
        {
            AccountLog.LockedOut(logger, user.Email ?? string.Empty);
            ModelState.AddModelError(string.Empty, LoginModel.LockedOutMessage);
            return Page();
        }

        ModelState.AddModelError(nameof(Input) + "." + nameof(Input.Code),
            "That code is not right. Enter the current code from your authenticator app.");
        return Page();
    }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter the 6-digit code from your authenticator app.")]
        [RegularExpression(@"^\s*\d{3}[\s-]?\d{3}\s*$", ErrorMessage = "The code is 6 digits.")]
        [Display(Name = "Authentication code")]
        public string Code { get; set; } = string.Empty;

        [Display(Name = "Don't ask for a code again on this browser")]
        public bool RememberMachine { get; set; }
    }
}
