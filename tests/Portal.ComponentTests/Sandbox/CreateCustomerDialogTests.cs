using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using OpenBanking.Portal.Components.Shared;
using OpenBanking.Portal.Partners;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.ComponentTests.Sandbox;

/// <summary>The "Add test customer" dialog: every Sandbox error at once next to its field, then the sign-in details.</summary>
public sealed class CreateCustomerDialogTests : PortalTestContext
{
    private readonly FakeCustomers _customers = new();
    private readonly IRenderedComponent<MudDialogProvider> _dialogs;

    public CreateCustomerDialogTests()
    {
        Services.AddSingleton<ISandboxCustomers>(_customers);
        RenderInteractively();
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
        _dialogs = Render<MudDialogProvider>();
    }

    private async Task OpenAsync()
    {
        var dialogs = Services.GetRequiredService<IDialogService>();
        _ = _dialogs.InvokeAsync(() => CreateCustomerDialog.ShowAsync(dialogs, phone: false));
        await Task.Yield();
        _dialogs.WaitForElement("[data-testid=customer-username]");
    }

    [Fact]
    public async Task EverySandboxError_ShowsAtOnce_NextToItsField_HistoryErrorsUnderTheirAccount()
    {
        _customers.Refusal = new PortalValidationException(new Dictionary<string, string[]>
        {
            ["Username"] = ["alice is a persona's username; choose another."],
            ["Accounts[0].Currency"] = ["The bank does not hold XYZ accounts."],
            ["Accounts[0].Template.Months"] = ["Use 1 to 24 months."],
            ["Password"] = ["Use 8 to 64 characters."],
        });
        await OpenAsync();
        _dialogs.Find("[data-testid=customer-username]").Change("alice");
        Choose("account-0-history-template");

        _dialogs.Find("[data-testid=customer-create]").Click();

        _dialogs.WaitForAssertion(() => Assert.Contains("alice is a persona's username", _dialogs.Markup));
        Assert.Contains("The bank does not hold XYZ accounts.", _dialogs.Markup);
        Assert.Contains("Use 8 to 64 characters.", _dialogs.Markup);
        Assert.Equal("Template.Months: Use 1 to 24 months.", _dialogs.Find("[data-testid=account-0-history-error]").TextContent);
        Assert.Equal("alice", Assert.Single(_customers.Sent).Username);
        Assert.Equal(6, _customers.Sent[0].Accounts[0].Template!.Months);
    }

    [Fact]
    public async Task OnSuccess_TheSignInDetailsAndAccountsAreShown()
    {
        await OpenAsync();
        _dialogs.Find("[data-testid=customer-username]").Change("zoe");
        _dialogs.Find("[data-testid=customer-name]").Change("Zoe Test");

        _dialogs.Find("[data-testid=customer-create]").Click();

        _dialogs.WaitForAssertion(() => Assert.Equal("zoe", _dialogs.Find("[data-testid=created-username]").TextContent));
        Assert.Equal("sandbox", _dialogs.Find("[data-testid=created-password]").TextContent);
        Assert.Equal("JBSWY3DPEHPK3PXP", _dialogs.Find("[data-testid=created-totp]").TextContent);
        Assert.Contains("40400012345678", _dialogs.Find("[data-testid=created-accounts]").TextContent);
    }

    [Fact]
    public async Task AnUploadChosenButNotRead_IsRefusedInTheForm_WithoutAskingTheSandbox()
    {
        await OpenAsync();
        Choose("account-0-history-upload");

        _dialogs.Find("[data-testid=customer-create]").Click();

        _dialogs.WaitForAssertion(() => Assert.Contains("Choose a JSON file of transactions", _dialogs.Find("[data-testid=account-0-history-error]").TextContent));
        Assert.Empty(_customers.Sent);
    }

    /// <summary>Picks a radio option, wherever MudBlazor put the test id (on the input or around it).</summary>
    private void Choose(string testId)
    {
        var element = _dialogs.Find($"[data-testid={testId}]");
        (element.TagName == "INPUT" ? element : element.QuerySelector("input") ?? element).Click();
    }

    private sealed class FakeCustomers : ISandboxCustomers
    {
        public PortalValidationException? Refusal { get; set; }

        public List<NewCustomer> Sent { get; } = [];

        public Task<CreatedCustomer> CreateCustomerAsync(NewCustomer customer, CancellationToken ct = default)
        {
            Sent.Add(customer);
            return Refusal is not null
                ? throw Refusal
                : Task.FromResult(new CreatedCustomer("cus-1", customer.Username, customer.Name, "sandbox", "JBSWY3DPEHPK3PXP", "otpauth://totp/x",
                    [new CreatedAccount("acc-1", "GBP", "UK.OBIE.SortCodeAccountNumber", "40400012345678", "1000.00", 0)]));
        }
    }
}
