using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBanking.Identity.Accounts;
using OpenBanking.Identity.Infrastructure;

namespace OpenBanking.Identity.Pages.Account;

[AllowAnonymous]
public sealed class RegisterModel(
    UserManager<ApplicationUser> users,
    AccountMailer mailer,
    TimeProvider clock,
    ILogger<RegisterModel> logger) : PageModel
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

        var email = Input.Email.Trim();
        var user = new ApplicationUser
        {
            UserName = email,
            Email = email,
            DisplayName = Input.DisplayName.Trim(),
            CreatedAt = clock.GetUtcNow(),
        };

        // The password policy is checked before the address is looked up, so that a weak password gets the same
        // answer whether or not the address already has an account.
        foreach (var validator in users.PasswordValidators)
        {
            var validation = await validator.ValidateAsync(users, user, Input.Password);
            foreach (var error in validation.Errors)
            {
                ModelState.AddModelError(nameof(Input) + "." + nameof(Input.Password), error.Description);
            }
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        // An existing address gets an email, not an error: the page looks the same either way, so it cannot be
        // used to find out who has an account.
        if (await users.FindByEmailAsync(email) is { } existing)
        {
            AccountLog.RegisteredAgain(logger, LogMask.Email(email));
            if (existing.EmailConfirmed)
            {
                await mailer.SendAlreadyRegisteredAsync(HttpContext, existing, cancellationToken);
            }
            else
            {
                await mailer.SendConfirmationAsync(HttpContext, existing, cancellationToken);
            }

            return RedirectToPage("./CheckEmail");
        }

        var created = await users.CreateAsync(user, Input.Password);
        if (!created.Succeeded)
        {
            foreach (var error in created.Errors)
            {
                ModelState.AddModelError(string.Empty, error.Description);
            }

            return Page();
        }

        var role = await users.AddToRoleAsync(user, Roles.Partner);
        if (!role.Succeeded)
        {
            // Never leave a user without a role behind.
            await users.DeleteAsync(user);
            throw new InvalidOperationException(
                "Adding the Partner role failed: " + string.Join("; ", role.Errors.Select(e => e.Description)));
        }

        AccountLog.Registered(logger, LogMask.Email(email));
        await mailer.SendConfirmationAsync(HttpContext, user, cancellationToken);
        return RedirectToPage("./CheckEmail");
    }

    public sealed class InputModel
    {
        [Required(ErrorMessage = "Enter your email address.")]
        [EmailAddress(ErrorMessage = "Enter an email address like name@example.com.")]
        [StringLength(256)]
        [Display(Name = "Email address")]
        public string Email { get; set; } = string.Empty;

        [Required(ErrorMessage = "Enter your name.")]
        [StringLength(100, ErrorMessage = "Your name can be at most 100 characters.")]
        [Display(Name = "Your name")]
        public string DisplayName { get; set; } = string.Empty;

        [Required(ErrorMessage = "Choose a password.")]
        [StringLength(128, ErrorMessage = "The password can be at most 128 characters.")]
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string Password { get; set; } = string.Empty;

        [Required(ErrorMessage = "Enter the password again.")]
        [DataType(DataType.Password)]
        [Compare(nameof(Password), ErrorMessage = "The two passwords are not the same.")]
        [Display(Name = "Confirm password")]
        public string ConfirmPassword { get; set; } = string.Empty;
    }
}
