using Bunit;
using Bunit.Rendering;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;
using OpenBanking.Portal.Components.Shared;
using OpenBanking.Portal.Partners;

namespace OpenBanking.Portal.ComponentTests.Partners;

/// <summary>The partner's forms as the browser gets them: validation messages on each field, disabled states, the one-time secret.</summary>
public sealed class PartnerFormTests : PortalTestContext
{
    public PartnerFormTests()
    {
        RenderInteractively();
        Render<MudPopoverProvider>();
    }

    [Fact]
    public void OrganisationForm_SubmittedEmpty_ShowsEveryMessage_AndDoesNotSubmit()
    {
        var form = new OrganisationForm();
        var submitted = false;
        var page = RenderInForm(form, builder =>
        {
            builder.OpenComponent<OrganisationFields>(0);
            builder.AddAttribute(1, nameof(OrganisationFields.Form), form);
            builder.CloseComponent();
        }, () => submitted = true);

        page.Find("form").Submit();

        page.WaitForAssertion(() =>
        {
            var text = page.Find("form").TextContent;
            Assert.Contains("Enter the organisation's legal name.", text, StringComparison.Ordinal);
            Assert.Contains("Enter the company registration number.", text, StringComparison.Ordinal);
            Assert.Contains("Choose the country of registration.", text, StringComparison.Ordinal);
            Assert.Contains("Choose at least one role.", text, StringComparison.Ordinal);
            Assert.Contains("Describe your wallet in a few sentences.", text, StringComparison.Ordinal);
        });
        Assert.False(submitted);
    }

    [Fact]
    public void OrganisationForm_RefusesAWebsiteWithoutHttps()
    {
        var form = new OrganisationForm { Website = "http://wallet.example" };
        var page = RenderInForm(form, builder =>
        {
            builder.OpenComponent<OrganisationFields>(0);
            builder.AddAttribute(1, nameof(OrganisationFields.Form), form);
            builder.CloseComponent();
        }, () => { });

        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Contains("Enter the website as an https:// address.", page.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public void AppForm_ChecksRedirectUrisAsTheyAreTyped_AndAsksForKeysOnlyForPrivateKeyJwt()
    {
        var form = new AppForm { Name = "Wallet" };
        var page = RenderInForm(form, builder =>
        {
            builder.OpenComponent<AppFields>(0);
            builder.AddAttribute(1, nameof(AppFields.Form), form);
            builder.CloseComponent();
        }, () => { });
        Assert.Empty(page.FindAll("[data-testid=app-jwks]"));

        var uris = InputOf(page.Find("[data-testid=app-redirect-uris]"));
        uris.Input("http://wallet.example/callback\nhttps://wallet.example/cb#fragment");
        uris.Blur();

        page.WaitForAssertion(() => Assert.Contains(
            "'http://wallet.example/callback': use an https:// address (or http://localhost in the sandbox).", page.Find("form").TextContent, StringComparison.Ordinal));

        uris.Input("https://wallet.example/cb#fragment");
        uris.Blur();
        page.WaitForAssertion(() => Assert.Contains("cannot have a fragment", page.Find("form").TextContent, StringComparison.Ordinal));

        InputOf(page.Find("[data-testid=auth-private-key-jwt]")).Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=app-jwks]")));
    }

    [Fact]
    public async Task SecretDialog_ShowsTheSecretOnce_CopiesIt_AndStaysOpenUntilTheSecretIsStored()
    {
        var copy = JSInterop.SetupVoid("portal.copy", "the-one-time-secret");
        var provider = Render<MudDialogProvider>();
        var dialogs = Services.GetRequiredService<IDialogService>();

        var reference = await provider.InvokeAsync(() => dialogs.ShowAsync<SecretDialog>("Credentials", new DialogParameters<SecretDialog>
        {
            { d => d.ClientId, "app_123" },
            { d => d.ClientSecret, "the-one-time-secret" },
        }));

        provider.WaitForAssertion(() => Assert.Contains("shown only this once", provider.Find("[data-testid=secret-once-warning]").TextContent, StringComparison.Ordinal));
        Assert.Equal("the-one-time-secret", provider.Find("input[data-testid=client-secret]").GetAttribute("value"));
        Assert.True(provider.Find("[data-testid=secret-done]").HasAttribute("disabled"));

        provider.Find("button[aria-label='Copy the client secret']").Click();
        copy.VerifyInvoke("portal.copy");

        InputOf(provider.Find("[data-testid=secret-stored]")).Change(true);
        provider.WaitForAssertion(() => Assert.False(provider.Find("[data-testid=secret-done]").HasAttribute("disabled")));
        provider.Find("[data-testid=secret-done]").Click();
        var result = await reference.Result;
        Assert.False(result!.Canceled);
    }

    [Fact]
    public void Quickstart_IsFilledWithTheAppsClientIdAndThePlatformsAddresses()
    {
        var quickstart = new Quickstart("app_abc", new Uri("https://identity.example/"), new Uri("https://gateway.example/"), "https://wallet.example/cb");

        var panel = Render<QuickstartPanel>(p => p.Add(x => x.Quickstart, quickstart));

        var markup = panel.Markup;
        Assert.Contains("export CLIENT_ID=app_abc", markup, StringComparison.Ordinal);
        Assert.Contains("https://identity.example/connect/par", markup, StringComparison.Ordinal);
        Assert.Contains("https://gateway.example/open-banking/v3.1/aisp/account-access-consents", markup, StringComparison.Ordinal);
        Assert.Contains("redirect_uri=https://wallet.example/cb", markup, StringComparison.Ordinal);
        Assert.DoesNotContain("demo-wallet-secret", markup, StringComparison.Ordinal);
        Assert.Contains("\"app_abc\"", quickstart.CSharp, StringComparison.Ordinal);
        Assert.Contains("\"app_abc\"", quickstart.JavaScript, StringComparison.Ordinal);
    }

    [Fact]
    public void Quickstart_InV40_CallsTheV40PathsAndNamesTheIsoStatus()
    {
        var quickstart = new Quickstart("app_abc", new Uri("https://identity.example/"), new Uri("https://gateway.example/"), "https://wallet.example/cb");
        var panel = Render<QuickstartPanel>(p => p.Add(x => x.Quickstart, quickstart));
        Assert.Empty(panel.FindAll("[data-testid=quickstart-version-note]"));

        InputOf(panel.Find("[data-testid='quickstart-version-v4.0']")).Click();

        panel.WaitForAssertion(() => Assert.Contains("https://gateway.example/open-banking/v4.0/aisp/account-access-consents", panel.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("/open-banking/v3.1/", panel.Markup, StringComparison.Ordinal);
        Assert.Contains("It starts AWAU", panel.Markup, StringComparison.Ordinal);
        Assert.NotNull(panel.Find("[data-testid=quickstart-version-note]"));
        var v4 = quickstart with { Version = OpenBanking.Portal.Reference.ObieVersion.V4 };
        Assert.Contains("https://gateway.example/open-banking/v4.0/aisp/", v4.CSharp, StringComparison.Ordinal);
        Assert.Contains("https://gateway.example/open-banking/v4.0/aisp/accounts", v4.JavaScript, StringComparison.Ordinal);
    }

    private static AngleSharp.Dom.IElement InputOf(AngleSharp.Dom.IElement element)
        => element.TagName is "INPUT" or "TEXTAREA" ? element : element.QuerySelector("input, textarea")!;

    private IRenderedComponent<ContainerFragment> RenderInForm(object model, RenderFragment fields, Action onValidSubmit)
        => Render(builder =>
        {
            builder.OpenComponent<EditForm>(0);
            builder.AddAttribute(1, nameof(EditForm.Model), model);
            builder.AddAttribute(2, nameof(EditForm.OnValidSubmit), EventCallback.Factory.Create<EditContext>(this, onValidSubmit));
            builder.AddAttribute(3, nameof(EditForm.ChildContent), (RenderFragment<EditContext>)(_ => inner =>
            {
                inner.OpenComponent<FormValidator>(0);
                inner.CloseComponent();
                inner.AddContent(1, fields);
            }));
            builder.CloseComponent();
        });
}
