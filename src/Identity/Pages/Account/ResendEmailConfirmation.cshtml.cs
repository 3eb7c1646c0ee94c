using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBanking.Identity.Accounts;
using OpenBanking.Identity.Infrastructure;

namespace OpenBanking.Identity.Pages.Account;

[AllowAnonymous]
public sealed class ResendEmailConfirmationModel(UserManager<ApplicationUser> users, AccountMailer mailer, ReturnUrls returnUrls) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet() => ReturnUrl = returnUrls.Sanitize(ReturnUrl, Url);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        ReturnUrl = returnUrls.Sanitize(ReturnUrl, Url);
        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (await users.FindByEmailAsync(Input.Email.Trim()) is { EmailConfirmed: false } user)
        {
            await mailer.SendConfirmationAsync(HttpContext, user, ReturnUrl, cancellationToken);
        }

        return RedirectToPage("./CheckEmail", new { ReturnUrl });
    }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter an email address like name@example.com.")]
        [Display(Name = "Email address")]
        public string Email { get; set; } = string.Empty;
    }
}
