using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBanking.Identity.Customers;
using OpenBanking.Identity.Grants;
using OpenBanking.Identity.Platform;

namespace OpenBanking.Identity.Pages.Customer;

/// <summary>The second factor: a TOTP code from the customer's authenticator (or the sandbox's static code when enabled).</summary>
public sealed class SecondFactorModel(SandboxClient sandbox, SignInThrottle throttle, GrantRecords records) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Enter the 6-digit code.")]
    [RegularExpression(@"^\s*\d{6}\s*$", ErrorMessage = "The code is 6 digits.")]
    [Display(Name = "Security code")]
    public string? Code { get; set; }

    public string? Name { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var pending = await HttpContext.GetPendingCustomerAsync();
        if (pending is null)
        {
            return RedirectToPage("SignIn", new { returnUrl = SignInModel.SafeReturnUrl(ReturnUrl) });
        }

        Name = pending.Name;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var pending = await HttpContext.GetPendingCustomerAsync();
        if (pending is null)
        {
            return RedirectToPage("SignIn", new { returnUrl = SignInModel.SafeReturnUrl(ReturnUrl) });
        }

        Name = pending.Name;
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var journey = await records.FindJourneyAsync(ReturnUrl, ct);
        if (throttle.IsLockedOut(pending.OrganisationId, pending.Username))
        {
            await records.StepAsync(journey, JourneySteps.SecondFactorFailed, JourneyPages.SecondFactor, "Sign-in is locked after too many wrong attempts.");
            await HttpContext.SignOutAsync(CustomerAuthentication.PendingScheme);
            ModelState.AddModelError(nameof(Code), SignInModel.LockedOutMessage);
            return Page();
        }

        if (!await sandbox.VerifySecondFactorAsync(pending.OrganisationId, pending.CustomerId, Code!.Trim(), ct))
        {
            throttle.Failed(pending.OrganisationId, pending.Username);
            await records.StepAsync(journey, JourneySteps.SecondFactorFailed, JourneyPages.SecondFactor, "The security code was not right or had expired.");
            ModelState.AddModelError(nameof(Code), "The code is not right or has expired.");
            return Page();
        }

        throttle.Succeeded(pending.OrganisationId, pending.Username);
        await records.StepAsync(journey, JourneySteps.SecondFactor, JourneyPages.SecondFactor, "The security code was accepted.");
        await HttpContext.SignOutAsync(CustomerAuthentication.PendingScheme);
        await HttpContext.SignInAsync(CustomerAuthentication.Scheme,
            CustomerAuthentication.CreatePrincipal(CustomerAuthentication.Scheme, pending.OrganisationId, pending.CustomerId, pending.Name, pending.Username));
        return LocalRedirect(SignInModel.SafeReturnUrl(ReturnUrl));
    }
}
