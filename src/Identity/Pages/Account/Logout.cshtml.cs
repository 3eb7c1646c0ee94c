using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBanking.Identity.Accounts;
using OpenBanking.Identity.Infrastructure;

namespace OpenBanking.Identity.Pages.Account;

/// <summary>GET asks, POST (with the antiforgery token) signs out: a link or an image elsewhere cannot sign anyone out.</summary>
[AllowAnonymous]
public sealed class LogoutModel(
    SignInManager<ApplicationUser> signIn,
    ReturnUrls returnUrls,
    ILogger<LogoutModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public bool SignedOut { get; private set; }

    public void OnGet() => ReturnUrl = returnUrls.Sanitize(ReturnUrl, Url);

    public async Task<IActionResult> OnPostAsync()
    {
        var userId = signIn.UserManager.GetUserId(User);
        await signIn.SignOutAsync();
        if (userId is not null)
        {
            AccountLog.SignedOut(logger, userId);
        }

        if (returnUrls.Sanitize(ReturnUrl, Url) is { } target)
        {
            return Redirect(target);
        }

        SignedOut = true;
        return Page();
    }
}
