using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBanking.Identity.Accounts;
using OpenBanking.Identity.Infrastructure;

namespace OpenBanking.Identity.Pages.Account;

[AllowAnonymous]
public sealed class ResetPasswordModel(UserManager<ApplicationUser> users, ILogger<ResetPasswordModel> logger) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public bool Done { get; private set; }

    public IActionResult OnGet(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return BadRequest();
        }

        Input.Code = code;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = await users.FindByEmailAsync(Input.Email.Trim());
        var token = AccountMailer.Decode(Input.Code);
        if (user is null || token is null)
        {
            // Do not reveal that the account does not exist.
            ModelState.AddModelError(string.Empty, "This reset link is not valid for that email address, or it has expired.");
            return Page();
        }

        var result = await users.ResetPasswordAsync(user, token, Input.Password);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(string.Empty, error.Code == nameof(IdentityErrorDescriber.InvalidToken)
                    ? "This reset link is not valid for that email address, or it has expired."
                    : error.Description);
            }

            return Page();
        }

        AccountLog.PasswordReset(logger, user.Id);
        Done = true;
        return Page();
    }

    public sealed class InputModel
    {
        [Required]
        public string Code { get; set; } = string.Empty;

        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter an email address like name@example.com.")]
        [Display(Name = "Email address")]
        public string Email { get; set; } = string.Empty;

        [Required(ErrorMessage = "Choose a new password.")]
        [StringLength(128, ErrorMessage = "The password can be at most 128 characters.")]
        [DataType(DataType.Password)]
        [Display(Name = "New password")]
        public string Password { get; set; } = string.Empty;

        [Required(ErrorMessage = "Enter the new password again.")]
        [DataType(DataType.Password)]
        [Compare(nameof(Password), ErrorMessage = "The two passwords are not the same.")]
        [Display(Name = "Confirm new password")]
        public string ConfirmPassword { get; set; } = string.Empty;
    }
}
