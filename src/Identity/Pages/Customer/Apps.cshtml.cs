using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBanking.Identity.Consents;
using OpenBanking.Identity.Customers;
using OpenBanking.Identity.Platform;
using OpenIddict.Abstractions;

namespace OpenBanking.Identity.Pages.Customer;

/// <summary>The customer's connected apps: every consent they authorised that still grants access, each revocable.</summary>
public sealed class AppsModel(SandboxClient sandbox, ConsentGrants grants, IOpenIddictApplicationManager applications) : PageModel
{
    public sealed record ConnectedApp(SandboxConsent Consent, string AppName, IReadOnlyList<string> Permissions, IReadOnlyList<string> Accounts);

    public SignedInCustomer Customer { get; private set; } = null!;

    public IReadOnlyList<ConnectedApp> Apps { get; private set; } = [];

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await HttpContext.GetCustomerAsync() is not { } customer)
        {
            return SignIn();
        }

        Customer = customer;
        var consents = await sandbox.ListConsentsAsync(customer.OrganisationId, customer.CustomerId, ct);
        var accounts = (await sandbox.ListAccountsAsync(customer.OrganisationId, customer.CustomerId, ct)).ToDictionary(a => a.AccountId);
        var apps = new List<ConnectedApp>();
        foreach (var consent in consents.Where(c => c.AccessRevokedAt is null))
        {
            var application = await applications.FindByClientIdAsync(consent.ClientId, ct);
            var name = application is null ? consent.ClientId : await applications.GetDisplayNameAsync(application, ct) ?? consent.ClientId;
            apps.Add(new ConnectedApp(consent, name, PermissionText.Describe(consent.Permissions),
                consent.AccountIds.Select(id => accounts.TryGetValue(id, out var a) ? $"{a.Nickname ?? a.Name} ({a.MaskedIdentification})" : id).ToArray()));
        }

        Apps = apps;
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string consentId, CancellationToken ct)
    {
        if (await HttpContext.GetCustomerAsync() is not { } customer)
        {
            return SignIn();
        }

        var error = await grants.RevokeAsync(customer, consentId, ct);
        Message = error ?? "Access withdrawn. The app can no longer see your information.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await HttpContext.SignOutAsync(CustomerAuthentication.Scheme);
        return RedirectToPage("SignIn");
    }

    private RedirectResult SignIn() => Redirect(CustomerAuthentication.SignInPath + "?returnUrl=%2Fcustomer%2Fapps");
}
