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
    private int _tab;
    private bool _editing;
    private string? _editName;
    private string? _editDescription;
    private string? _editRedirectUris;
    private IReadOnlyList<string> _editErrors = [];
    private List<BreadcrumbItem> _breadcrumbs = [];

    [Parameter]
    public string ClientId { get; set; } = "";

    protected override async Task OnParametersSetAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        try
        {
            _context = await Current.GetAsync();
            _details = await Apps.GetAsync(ClientId);
            _notFound = false;
            var redirect = _details.Client?.RedirectUris.FirstOrDefault() ?? "https://your-app.example/callback";
            _quickstart = new Quickstart(_details.App.ClientId, Platform.Value.IdentityUrl, Platform.Value.GatewayUrl, redirect);
            _editName = _details.App.Name;
            _editDescription = _details.App.Description;
            _editRedirectUris = string.Join('\n', _details.Client?.RedirectUris ?? []);
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

    private static IEnumerable<string> CheckRedirectUris(string? text)
        => AppForm.ParseRedirectUris(text).Select(AppForm.CheckRedirectUri).OfType<string>();

    private async Task SaveAsync()
    {
        try
        {
            _details = await Apps.UpdateAsync(ClientId, _editName, _editDescription, _editRedirectUris);
            _editing = false;
            _editErrors = [];
            Snackbar.Add("App saved", Severity.Success);
            await LoadAsync();
        }
        catch (PortalRefusalException refusal) when (refusal is not PortalNotFoundException)
        {
            _editErrors = [refusal.Message];
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
