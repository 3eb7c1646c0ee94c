using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBanking.Identity.Accounts;
using OpenBanking.Identity.Infrastructure;

namespace OpenBanking.Identity.Pages.Account;

[AllowAnonymous]
public sealed class LoginWithRecoveryCodeModel(
    SignInManager<ApplicationUser> signIn,
    ReturnUrls returnUrls,
    ILogger<LoginWithRecoveryCodeModel> logger) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        ReturnUrl = returnUrls.Sanitize(ReturnUrl, Url);
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

        // Each code works once: Identity removes it from the user's stored codes when it is redeemed.
        var code = Input.RecoveryCode.Replace(" ", string.Empty, StringComparison.Ordinal);
        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(code);
        if (result.Succeeded)
        {
            AccountLog.RecoveryCodeUsed(logger, user.Id);
            return returnUrls.RedirectAfterSignIn(this, ReturnUrl);
        }

        if (result.IsLockedOut)
        {
            ModelState.AddModelError(string.Empty, LoginModel.LockedOutMessage);
            return Page();
        }

        ModelState.AddModelError(nameof(Input) + "." + nameof(Input.RecoveryCode),
            "That recovery code is not right, or it has been used already.");
        return Page();
    }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter one of your recovery codes.")]
        [Display(Name = "Recovery code")]
        public string RecoveryCode { get; set; } = string.Empty;
    }
}
