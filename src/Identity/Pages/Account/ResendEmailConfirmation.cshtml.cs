using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBanking.Identity.Accounts;
using OpenBanking.Identity.Infrastructure;

namespace OpenBanking.Identity.Pages.Account;

[AllowAnonymous]
public sealed class ResendEmailConfirmationModel(UserManager<ApplicationUser> users, AccountMailer mailer) : PageModel
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

        if (await users.FindByEmailAsync(Input.Email.Trim()) is { EmailConfirmed: false } user)
        {
            await mailer.SendConfirmationAsync(HttpContext, user, cancellationToken);
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
