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
    ReturnUrls returnUrls,
    TimeProvider clock,
    ILogger<RegisterModel> logger) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    /// <summary>Where to go after confirming and signing in (the Portal, usually); carried through the confirmation mail.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet() => ReturnUrl = returnUrls.Sanitize(ReturnUrl, Url);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        ReturnUrl = returnUrls.Sanitize(ReturnUrl, Url);
        // An empty field binds as null; every field is checked below, so none may be assumed present yet.
        var email = Input.Email?.Trim() ?? string.Empty;
        var user = new ApplicationUser
        {
            UserName = email,
            Email = email,
            DisplayName = Input.DisplayName?.Trim() ?? string.Empty,
            CreatedAt = clock.GetUtcNow(),
        };

        // Every field in one round trip: the password policy is checked even when another field is wrong, so the
        // person fixes everything at once. It is also checked before the address is looked up, so that a weak password
        // gets the same answer whether or not the address already has an account.
        if (!string.IsNullOrEmpty(Input.Password))
        {
            foreach (var validator in users.PasswordValidators)
            {
                var validation = await validator.ValidateAsync(users, user, Input.Password);
                foreach (var error in validation.Errors)
                {
                    ModelState.AddModelError(nameof(Input) + "." + nameof(Input.Password), error.Description);
                }
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
            AccountLog.RegisteredAgain(logger, email);
            if (existing.EmailConfirmed)
            {
                await mailer.SendAlreadyRegisteredAsync(HttpContext, existing, ReturnUrl, cancellationToken);
            }
            else
            {
                await mailer.SendConfirmationAsync(HttpContext, existing, ReturnUrl, cancellationToken);
            }

            return RedirectToPage("./CheckEmail", new { ReturnUrl });
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

        AccountLog.Registered(logger, email);
        await mailer.SendConfirmationAsync(HttpContext, user, ReturnUrl, cancellationToken);
        return RedirectToPage("./CheckEmail", new { ReturnUrl });
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
