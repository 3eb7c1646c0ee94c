using Microsoft.AspNetCore.Components;
using MudBlazor;
using OpenBanking.Portal.Components.Shared;
using OpenBanking.Portal.Partners;

namespace OpenBanking.Portal.Components.Pages.Partner;

public partial class AppDetail
{
    private AppDetails? _details;
    private PartnerContext? _context;
    private Quickstart? _quickstart;
    private bool _notFound;
    /// <summary>The tabs' URL segments: <c>/apps/{clientId}/{section}</c>; <c>/apps/{clientId}</c> is the overview.</summary>
    public static readonly string[] Sections = ["overview", "quickstart", "calls", "usage", "events", "security", "go-live"];

    private static readonly string[] SectionTitles = ["Overview", "Quickstart", "Call log", "Usage", "Events", "Security", "Go-live"];

    private int _tab;
    private string? _loadedClientId;
    private List<BreadcrumbItem> _breadcrumbs = [];

    [Parameter]
    public string ClientId { get; set; } = "";

    [Parameter]
    public string? Section { get; set; }

    /// <summary>The address of one of an app's tabs.</summary>
    public static string Href(string clientId, string section = "overview")
        => section == Sections[0] ? $"/apps/{Uri.EscapeDataString(clientId)}" : $"/apps/{Uri.EscapeDataString(clientId)}/{section}";

    protected override async Task OnParametersSetAsync()
    {
        // An unknown section shows the overview rather than a dead end.
        _tab = Math.Max(0, Array.IndexOf(Sections, Section?.ToLowerInvariant()));
        // Moving between tabs (including back and forward) changes only Section: the app is not fetched again.
        if (_loadedClientId != ClientId)
        {
            await LoadAsync();
            _loadedClientId = ClientId;
        }
    }

    private void SelectTab(int index)
    {
        if (index == _tab || _details is null)
        {
            return;
        }

        _tab = index;
        // A history entry per tab: the address is shareable, and back/forward move between tabs.
        Navigation.NavigateTo(Href(_details.App.ClientId, Sections[index]));
    }

    private async Task LoadAsync()
    {
        try
        {
            _context = await Current.GetAsync();
            _details = await Apps.GetAsync(ClientId);
            _notFound = false;
            _quickstart = BuildQuickstart(_details);
            _breadcrumbs = [new("Apps", "/apps"), new(_details.App.Name, null, disabled: true)];
        }
        catch (PortalNotFoundException)
        {
            _notFound = true;
        }
        catch (PortalForbiddenException)
        {
            _notFound = true;
        }
    }

    /// <summary>The Security tab changed the app at Identity: show its answer (the quickstart follows the new settings).</summary>
    private void ClientChanged(Platform.IdentityClient client)
    {
        _details = _details! with { Client = client };
        _quickstart = BuildQuickstart(_details);
    }

    private Quickstart BuildQuickstart(AppDetails details)
    {
        var redirect = details.Client?.RedirectUris.FirstOrDefault() ?? "https://your-app.example/callback";
        return new Quickstart(details.App.ClientId, Platform.Value.IdentityUrl, Platform.Value.GatewayUrl, redirect)
        {
            OrganisationId = details.Client?.OrganisationId ?? details.App.OrganisationId.ToString(),
            RequireSignedRequests = details.Client?.RequireSignedRequests ?? false,
            RequireDpop = details.Client?.RequireDpop ?? false,
        };
    }

    private async Task EditAsync()
    {
        var dialog = await Dialogs.ShowAsync<EditAppDialog>("Edit name and redirect URIs", new DialogParameters<EditAppDialog>
        {
            { d => d.ClientId, _details!.App.ClientId },
            { d => d.Name, _details.App.Name },
            { d => d.Description, _details.App.Description },
            { d => d.RedirectUris, _details.Client?.RedirectUris ?? [] },
        }, new DialogOptions { MaxWidth = MaxWidth.Small, FullWidth = true, CloseOnEscapeKey = true, CloseButton = true });
        if (await dialog.Result is { Canceled: false })
        {
            Snackbar.Add("App saved", Severity.Success);
            await LoadAsync();
        }
    }

    private async Task RotateAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Rotate the client secret?",
            "A new secret is created and shown once. The current secret stops working immediately: update your app right away.",
            yesText: "Rotate secret", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        await RunAsync(async () =>
        {
            var credentials = await Apps.RotateSecretAsync(ClientId);
            var dialog = await Dialogs.ShowAsync<SecretDialog>("New client secret", new DialogParameters<SecretDialog>
            {
                { d => d.Title, "New client secret" },
                { d => d.ClientId, credentials.ClientId },
                { d => d.ClientSecret, credentials.ClientSecret },
            }, new DialogOptions { BackdropClick = false, CloseOnEscapeKey = false, MaxWidth = MaxWidth.Small, FullWidth = true });
            await dialog.Result;
        });
    }

    private async Task ToggleSuspendedAsync()
    {
        var suspend = !_details!.App.Suspended;
        if (suspend && await Dialogs.ShowMessageBoxAsync("Suspend the app?",
                "It gets no new tokens and its refresh tokens are revoked at once. You can reactivate it later.",
                yesText: "Suspend", cancelText: "Cancel") != true)
        {
            return;
        }

        await RunAsync(() => Apps.SetSuspendedAsync(ClientId, suspend), suspend ? "App suspended" : "App reactivated");
    }

    private async Task DeleteAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete the app?",
            $"{_details!.App.Name} and its credentials are deleted and its tokens revoked. This cannot be undone.",
            yesText: "Delete app", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }

        if (await RunAsync(() => Apps.DeleteAsync(ClientId), "App deleted"))
        {
            Navigation.NavigateTo("/apps");
        }
    }

    /// <summary>The Go-live tab sent a production-access request: the app's state changed.</summary>
    private Task ProductionRequestedAsync() => LoadAsync();

    private async Task RequestPaymentsAsync()
        => await RunAsync(() => Apps.RequestPaymentAccessAsync(ClientId), "Payment initiation requested");

    private async Task<bool> RunAsync(Func<Task> action, string? success = null)
    {
        if (!await Snackbar.RunAsync(action, success))
        {
            return false;
        }

        await LoadAsync();
        return true;
    }
}
