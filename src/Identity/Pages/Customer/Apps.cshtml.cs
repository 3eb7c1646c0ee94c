using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenBanking.Identity.Consents;
using OpenBanking.Identity.Customers;
using OpenBanking.Identity.Platform;
using OpenIddict.Abstractions;

namespace OpenBanking.Identity.Pages.Customer;

/// <summary>
/// The customer's connected apps: every consent they gave, of every kind — the ones that still grant something first,
/// then the ended ones (expired, withdrawn, used up, declined, deleted by the app) — told apart by app, kind, what it
/// allows, accounts, dates, use and status. Withdrawing is two steps (a confirmation that works without JavaScript),
/// because it cannot be undone: the app has to ask again. "Download my consent history" gives the same consents with
/// every status change as JSON (the customer's right of access), only ever for the signed-in customer's own tenant and id.
/// </summary>
public sealed class AppsModel(SandboxClient sandbox, ConsentGrants grants, IOpenIddictApplicationManager applications, TimeProvider time) : PageModel
{
    private static readonly JsonSerializerOptions DownloadJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <param name="EndAction">The words of the button that ends it ("Withdraw access", "Cancel standing order"…).</param>
    /// <param name="Expires">When it stops granting anything, in words ("12 March 2027", "No end date", "When the payment is made").</param>
    /// <param name="Use">Its use: the last access for account access and funds checks, the payment made for a payment.</param>
    /// <param name="Status">Its state in the customer's words.</param>
    /// <param name="Ended">How and when it ended ("Withdrawn by you on 3 December 2026"); null while current.</param>
    public sealed record ConnectedApp(
        SandboxConsent Consent, string AppName, string Kind, IReadOnlyList<string> Allows, IReadOnlyList<string> Accounts, bool CanWithdraw,
        CustomerConsentKind? KindOf = null, string EndAction = "Withdraw access", string Expires = "", string Use = "", string Status = "",
        string? Ended = null, SandboxConsentRecord? Record = null);

    public SignedInCustomer Customer { get; private set; } = null!;

    /// <summary>The consents that still grant something, newest decision first.</summary>
    public IReadOnlyList<ConnectedApp> Apps { get; private set; } = [];

    /// <summary>The consents that no longer grant anything, most recently ended first.</summary>
    public IReadOnlyList<ConnectedApp> EndedApps { get; private set; } = [];

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
        var all = await LoadAsync(customer, ct);
        Apps = [.. all.Where(a => a.Ended is null)];
        EndedApps = [.. all.Where(a => a.Ended is not null)];
        return Page();
    }

    /// <summary>
    /// "Download my consent history": every consent of the signed-in customer's, current and ended, with what it allows,
    /// its dates, use and every status change, as a JSON file. The tenant and customer come from the session only.
    /// </summary>
    public async Task<IActionResult> OnGetDownloadAsync(CancellationToken ct)
    {
        if (await HttpContext.GetCustomerAsync() is not { } customer)
        {
            return SignIn();
        }

        var now = time.GetUtcNow();
        var document = new ConsentHistoryDownload(
            customer.OrganisationId, customer.CustomerId, now,
            [.. (await LoadAsync(customer, ct)).Select(a => new ConsentHistoryDownload.Entry(
                a.Consent.ConsentId, a.AppName, a.Consent.ClientId, a.Kind, a.Status, a.Ended is null, a.Ended, a.Allows, a.Accounts,
                a.Consent.CreationDateTime, a.Consent.ExpirationDateTime, a.Expires, a.Consent.LastUsedAt, a.Use,
                a.Consent.AccessRevokedAt, a.Record?.DeletedAt,
                [.. (a.Record?.History ?? []).Select(h => new ConsentHistoryDownload.Change(h.At, h.Status, h.Actor, h.Detail))]))]);
        // Personal data: never kept by a shared cache or the browser's history of downloads beyond the file itself.
        Response.Headers.CacheControl = "no-store";
        return File(JsonSerializer.SerializeToUtf8Bytes(document, DownloadJson), "application/json",
            $"consent-history-{now.UtcDateTime:yyyy-MM-dd}.json");
    }

    /// <summary>The customer's consents as the page shows them, current first (the Sandbox's order).</summary>
    private async Task<List<ConnectedApp>> LoadAsync(SignedInCustomer customer, CancellationToken ct)
    {
        var records = await sandbox.GetConsentHistoryAsync(customer.OrganisationId, customer.CustomerId, ct);
        var accounts = (await sandbox.ListAccountsAsync(customer.OrganisationId, customer.CustomerId, ct)).ToDictionary(a => a.AccountId);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var apps = new List<ConnectedApp>();
        foreach (var record in records)
        {
            var consent = record.Consent;
            if (!names.TryGetValue(consent.ClientId, out var name))
            {
                var application = await applications.FindByClientIdAsync(consent.ClientId, ct);
                name = application is null ? consent.ClientId : await applications.GetDisplayNameAsync(application, ct) ?? consent.ClientId;
                names[consent.ClientId] = name;
            }

            var kind = ConsentKindText.Of(consent);
            apps.Add(new ConnectedApp(consent, name, ConsentKindText.Name(kind), Allows(consent, kind),
                consent.AccountIds.Select(id => accounts.TryGetValue(id, out var a)
                    ? $"{a.Nickname ?? a.Name}, {BankFormat.AccountType(a.AccountSubType)} {a.MaskedIdentification}"
                    : id).ToArray(),
                // A single payment (domestic or abroad) is used once and ends by itself; every other kind, recurring
                // payments included, the customer can end.
                CanWithdraw: record.Current && ConsentKindText.CanEnd(kind), kind, ConsentKindText.EndAction(kind),
                ConsentWords.Expires(consent, kind), ConsentWords.Use(consent, kind), ConsentWords.Status(record),
                record.Current ? null : ConsentWords.Ended(record), record));
        }

        return apps;
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
