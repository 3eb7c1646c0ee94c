using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBanking.Identity.Accounts;
using OpenBanking.Identity.Infrastructure;

namespace OpenBanking.Identity.Pages.Account;

[AllowAnonymous]
public sealed class ForgotPasswordModel(UserManager<ApplicationUser> users, AccountMailer mailer) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        // The same answer whether or not the account exists; only a confirmed address receives a reset link.
        if (await users.FindByEmailAsync(Input.Email.Trim()) is { EmailConfirmed: true } user)
        {
            await mailer.SendPasswordResetAsync(HttpContext, user, cancellationToken);
        }

        return RedirectToPage("./CheckEmail");
    }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter an email address like name@example.com.")]
        [Display(Name = "Email address")]
        public string Email { get; set; } = string.Empty;
    }
}
