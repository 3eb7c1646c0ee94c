using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBanking.Identity.Accounts;
using OpenBanking.Identity.Infrastructure;

namespace OpenBanking.Identity.Pages.Account;

[AllowAnonymous]
public sealed class ConfirmEmailModel(UserManager<ApplicationUser> users, ReturnUrls returnUrls) : PageModel
{
    public bool Confirmed { get; private set; }

    /// <summary>Where the sign-up began (the Portal, usually), from the link in the mail; checked again here.</summary>
    public string? ReturnUrl { get; private set; }

    public async Task OnGetAsync(string? userId, string? code, string? returnUrl)
    {
        ReturnUrl = returnUrls.Sanitize(returnUrl, Url);
        var token = AccountMailer.Decode(code);
        if (string.IsNullOrEmpty(userId) || token is null || await users.FindByIdAsync(userId) is not { } user)
        {
            return;
        }

        Confirmed = user.EmailConfirmed || (await users.ConfirmEmailAsync(user, token)).Succeeded;
    }
}
