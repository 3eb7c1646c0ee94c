using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBanking.Identity.Consents;
using OpenBanking.Identity.Customers;
using OpenBanking.Identity.Platform;
using OpenIddict.Abstractions;

namespace OpenBanking.Identity.Pages.Customer;

/// <summary>
/// The customer's connected apps: every consent they gave that still grants something, told apart by app, kind, what
/// it allows, accounts and dates. Withdrawing is two steps (a confirmation that works without JavaScript), because
/// it cannot be undone: the app has to ask again.
/// </summary>
public sealed class AppsModel(SandboxClient sandbox, ConsentGrants grants, IOpenIddictApplicationManager applications) : PageModel
{
    /// <param name="EndAction">The words of the button that ends it ("Withdraw access", "Cancel standing order"…).</param>
    public sealed record ConnectedApp(
        SandboxConsent Consent, string AppName, string Kind, IReadOnlyList<string> Allows, IReadOnlyList<string> Accounts, bool CanWithdraw,
        CustomerConsentKind? KindOf = null, string EndAction = "Withdraw access");

    public SignedInCustomer Customer { get; private set; } = null!;

    public IReadOnlyList<ConnectedApp> Apps { get; private set; } = [];

    /// <summary>The consent whose withdrawal is being confirmed (<c>?withdraw=</c>), if it is one of the list's.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Withdraw { get; set; }

    public ConnectedApp? Confirming => Withdraw is null ? null : Apps.FirstOrDefault(a => a.Consent.ConsentId == Withdraw && a.CanWithdraw);

    [TempData]
    public string? Message { get; set; }

    public static string KindName(string kind) => ConsentKindText.Name(ConsentKindText.Of(kind, string.Empty));

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
            var kind = ConsentKindText.Of(consent);
            apps.Add(new ConnectedApp(consent, name, ConsentKindText.Name(kind), Allows(consent, kind),
                consent.AccountIds.Select(id => accounts.TryGetValue(id, out var a)
                    ? $"{a.Nickname ?? a.Name}, {BankFormat.AccountType(a.AccountSubType)} {a.MaskedIdentification}"
                    : id).ToArray(),
                // A single payment (domestic or abroad) is used once and ends by itself; every other kind, recurring
                // payments included, the customer can end.
                CanWithdraw: ConsentKindText.CanEnd(kind), kind, ConsentKindText.EndAction(kind)));
        }

        Apps = apps;
        return Page();
    }

    /// <param name="confirmed">Set only by the confirmation step's button: a bare post (a stale page) asks first.</param>
    public async Task<IActionResult> OnPostRevokeAsync(string consentId, bool confirmed, CancellationToken ct)
    {
        if (await HttpContext.GetCustomerAsync() is not { } customer)
        {
            return SignIn();
        }

        if (!confirmed)
        {
            return RedirectToPage(null, null, new { withdraw = consentId }, "confirm-withdraw");
        }

        var error = await grants.RevokeAsync(customer, consentId, ct);
        Message = error ?? ConsentKindText.Ended(ConsentKindText.Of(null, consentId));
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await HttpContext.SignOutAsync(CustomerAuthentication.Scheme);
        return RedirectToPage("SignIn");
    }

    /// <summary>What the consent lets the app do, in the customer's words.</summary>
    private static IReadOnlyList<string> Allows(SandboxConsent consent, CustomerConsentKind? kind) => kind switch
    {
        // The recurring kinds: the Sandbox's plain-words schedule or limits, and whom they pay when there is one payee.
        _ when ConsentKindText.IsRecurring(kind) =>
        [
            .. consent.Payment is { } payee ? [$"Pay {payee.CreditorName}" + (payee.Reference is null ? string.Empty : $", reference “{payee.Reference}”")] : Array.Empty<string>(),
            .. consent.Terms ?? [],
        ],
        CustomerConsentKind.DomesticPayment when consent.Payment is { } payment =>
        [
            $"Make one payment of {BankFormat.Money(payment.Amount, payment.Currency)} to {payment.CreditorName}"
                + (payment.Reference is null ? string.Empty : $", reference “{payment.Reference}”"),
        ],
        // A payment abroad: the Sandbox's terms say what is sent, what the customer pays, at what rate and with which fees.
        CustomerConsentKind.InternationalPayment when consent.Terms is { Count: > 0 } terms => terms,
        CustomerConsentKind.InternationalPayment when consent.Payment is { } abroad =>
        [
            $"Make one payment abroad of {BankFormat.Money(abroad.Amount, abroad.Currency)} to {abroad.CreditorName}",
        ],
        CustomerConsentKind.FundsConfirmation => ["Ask whether your account can cover an amount — a yes or a no, never your balance"],
        _ => PermissionText.Describe(consent.Permissions),
    };

    private RedirectResult SignIn() => Redirect(CustomerAuthentication.SignInPath + "?returnUrl=%2Fcustomer%2Fapps");
}
