using Bunit;
using Bunit.Rendering;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Http;
using MudBlazor;
using OpenBanking.Portal.Components.Layout;
using OpenBanking.Portal.Components.Shared;
using OpenBanking.Portal.Domain;
using OpenBanking.Portal.Partners;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.ComponentTests.Partners;

/// <summary>
/// The patterns every Portal page follows (docs/portal.md, "Forms, layout and theme patterns"): every form error at
/// once in words that say what to do, entered values kept; one status banner; the theme the server chose.
/// </summary>
public sealed class FormsAndLayoutTests : PortalTestContext
{
    public FormsAndLayoutTests()
    {
        RenderInteractively();
    }

    [Fact]
    public void CreateAppForm_WithABadNameAndAJavascriptUri_ShowsBothErrorsAndTheApiError_AndKeepsTheValues()
    {
        var form = new AppForm { Name = "W", RedirectUris = "javascript:alert(1)\nhttps://wallet.example/cb#top", Accounts = false };
        var submitted = false;
        var page = RenderInForm(form, Fields<AppFields>(nameof(AppFields.Form), form), () => submitted = true);

        page.Find("form").Submit();

        page.WaitForAssertion(() =>
        {
            var text = page.Find("form").TextContent;
            Assert.Contains("Use 2 to 100 characters for the name.", text, StringComparison.Ordinal);
            Assert.Contains("'javascript:alert(1)': use an https:// address (or http://localhost in the sandbox).", text, StringComparison.Ordinal);
            Assert.Contains("'https://wallet.example/cb#top': remove the part from '#' on", text, StringComparison.Ordinal);
            Assert.Contains("Choose at least one API.", text, StringComparison.Ordinal);
        });
        Assert.DoesNotContain("absolute URI", page.Markup, StringComparison.Ordinal);
        Assert.False(submitted);
        Assert.Equal("W", page.Find("input[data-testid=app-name]").GetAttribute("value"));
        Assert.Contains("javascript:alert(1)", page.Find("textarea[data-testid=app-redirect-uris]").GetAttribute("value") ?? page.Find("textarea[data-testid=app-redirect-uris]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateAppForm_FixingTheName_LeavesTheRedirectUriErrorInPlace()
    {
        var form = new AppForm { Name = "W", RedirectUris = "javascript:alert(1)" };
        var page = RenderInForm(form, Fields<AppFields>(nameof(AppFields.Form), form), () => { });
        page.Find("form").Submit();
        page.WaitForAssertion(() => Assert.Contains("Use 2 to 100 characters", page.Find("form").TextContent, StringComparison.Ordinal));

        var name = page.Find("input[data-testid=app-name]");
        name.Change("Wallet");

        page.WaitForAssertion(() =>
        {
            var text = page.Find("form").TextContent;
            Assert.DoesNotContain("Use 2 to 100 characters", text, StringComparison.Ordinal);
            Assert.Contains("'javascript:alert(1)': use an https:// address", text, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void AppForm_OnTheServer_NamesEveryProblemAtOnce()
    {
        var form = new AppForm { Name = "", RedirectUris = "javascript:alert(1)", Accounts = false, AuthMethod = AppForm.PrivateKeyJwt };

        var refusal = Assert.Throws<PortalValidationException>(form.EnsureValid);

        Assert.Equal(["Name the app."], refusal.Errors["Name"]);
        Assert.Equal(["'javascript:alert(1)': use an https:// address (or http://localhost in the sandbox)."], refusal.Errors["RedirectUris"]);
        Assert.Equal(["Choose at least one API."], refusal.Errors["Accounts"]);
        Assert.Equal(["Paste or upload the app's public JSON Web Key Set."], refusal.Errors["Jwks"]);
    }

    [Fact]
    public void OrganisationForm_WithSeveralMistakes_ShowsEveryOne_AndKeepsWhatWasTyped()
    {
        var form = new OrganisationForm
        {
            LegalName = "Nia Wallet Ltd", RegistrationNumber = "#", Website = "http://nia.example", ContactEmail = "not-an-address", Description = "Too short",
        };
        var page = RenderInForm(form, Fields<OrganisationFields>(nameof(OrganisationFields.Form), form), () => { });

        page.Find("form").Submit();

        page.WaitForAssertion(() =>
        {
            var text = page.Find("form").TextContent;
            Assert.Contains("Use 3 to 50 letters, digits, spaces, '-' or '/'.", text, StringComparison.Ordinal);
            Assert.Contains("Choose the country of registration.", text, StringComparison.Ordinal);
            Assert.Contains("Enter the website as an https:// address.", text, StringComparison.Ordinal);
            Assert.Contains("Enter a contact name.", text, StringComparison.Ordinal);
            Assert.Contains("Enter a valid e-mail address.", text, StringComparison.Ordinal);
            Assert.Contains("Choose at least one role.", text, StringComparison.Ordinal);
            Assert.Contains("Describe your wallet in 20 to 2,000 characters.", text, StringComparison.Ordinal);
        });
        Assert.Equal("Nia Wallet Ltd", page.Find("input[data-testid=org-legal-name]").GetAttribute("value"));
        Assert.Equal("http://nia.example", page.Find("input[data-testid=org-website]").GetAttribute("value"));
    }

    [Fact]
    public void ServerRefusal_WithTwoProblemsOnOneField_ShowsBoth()
    {
        var form = new AppForm { Name = "Wallet", RedirectUris = "https://wallet.example/cb" };
        var context = new EditContext(form);
        var errors = new ServerErrors(context);
        Render<MudPopoverProvider>();
        var page = Render(builder =>
        {
            builder.OpenComponent<EditForm>(0);
            builder.AddAttribute(1, nameof(EditForm.EditContext), context);
            builder.AddAttribute(2, nameof(EditForm.ChildContent), (RenderFragment<EditContext>)(_ => Fields<AppFields>(nameof(AppFields.Form), form)));
            builder.CloseComponent();
        });

        page.InvokeAsync(() => errors.Show(new PortalValidationException(new Dictionary<string, string[]>
        {
            ["redirectUris"] = ["First problem.", "Second problem."],
            [""] = ["Identity is busy."],
        })));

        page.WaitForAssertion(() =>
        {
            var text = page.Find("form").TextContent;
            Assert.Contains("First problem.", text, StringComparison.Ordinal);
            Assert.Contains("Second problem.", text, StringComparison.Ordinal);
        });
        Assert.Equal(["Identity is busy."], errors.General);
    }

    [Theory]
    [InlineData(OrganisationStatus.Approved, "Approved. Nia Wallet Ltd is approved")]
    [InlineData(OrganisationStatus.Pending, "Pending. The bank is reviewing Nia Wallet Ltd.")]
    public void OrganisationBanner_PutsASpaceAfterTheStatus(OrganisationStatus status, string expected)
    {
        var banner = Render<OrganisationBanner>(p => p.Add(b => b.Organisation, new Organisation { LegalName = "Nia Wallet Ltd", Status = status }));

        var text = System.Text.RegularExpressions.Regex.Replace(banner.Find("[data-testid=organisation-status-banner]").TextContent, @"\s+", " ");
        Assert.Contains(expected, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "Switch to light theme")]
    [InlineData(false, "Switch to dark theme")]
    public void Layout_RendersTheThemeTheServerChose_AndTheToggleSavesTheOther(bool dark, string label)
    {
        var save = JSInterop.SetupVoid("portal.saveTheme", dark ? "light" : "dark");
        var layout = Render<CascadingValue<bool?>>(p => p
            .Add(c => c.Name, ThemePreference.CookieName)
            .Add(c => c.Value, dark)
            .Add(c => c.IsFixed, true)
            .AddChildContent<MainLayout>(l => l.Add(m => m.Body, (RenderFragment)(_ => { }))));

        var toggle = layout.Find("[data-testid=theme-toggle]");
        Assert.Equal(label, toggle.GetAttribute("aria-label"));

        toggle.Click();

        // The click is dispatched through the renderer, which may still be busy with the layout's own first renders.
        layout.WaitForAssertion(() => save.VerifyInvoke("portal.saveTheme"));
        layout.WaitForAssertion(() => Assert.NotEqual(label, layout.Find("[data-testid=theme-toggle]").GetAttribute("aria-label")));
    }

    [Theory]
    [InlineData("dark", "\"light\"", true)]
    [InlineData("light", "\"dark\"", false)]
    [InlineData(null, "\"dark\"", true)]
    [InlineData(null, null, null)]
    [InlineData("purple", null, null)]
    public void ThemePreference_PrefersTheSavedChoice_ThenTheBrowsersHint(string? cookie, string? hint, bool? expected)
    {
        var http = new DefaultHttpContext();
        if (cookie is not null)
        {
            http.Request.Headers.Cookie = $"{ThemePreference.CookieName}={cookie}";
        }

        if (hint is not null)
        {
            http.Request.Headers[ThemePreference.ClientHint] = hint;
        }

        Assert.Equal(expected, ThemePreference.DarkMode(http.Request));
    }

    [Fact]
    public void PaymentsTable_BelowTheMdBreakpoint_IsCards_WhoseFirstFactsAreDateAmountStatusAndPayee_AndReleaseIsOffered()
    {
        var held = Payment("pay-1", "Pending", "HeldForReview", held: true);
        var released = Payment("pay-2", "Pending", null, held: false);
        (TenantPayment Payment, bool Approve)? reviewed = null;
        var table = Render<PaymentsTable>(p => p
            .Add(t => t.Payments, [held, released])
            .Add(t => t.CanReview, true)
            .Add(t => t.OnReview, r => reviewed = r));

        Assert.Contains("mud-sm-table", table.Find("[data-testid=payments-table]").ClassName, StringComparison.Ordinal);
        var firstCard = table.FindAll("tbody tr")[0].QuerySelectorAll("td").Take(4).Select(td => td.GetAttribute("data-label")).ToArray();
        Assert.Equal(["Created (UTC)", "Amount", "Status", "Payee"], firstCard);
        Assert.Equal("2026-12-02 09:30", table.FindAll("[data-testid=payment-created]")[0].TextContent.Trim());
        Assert.Equal("1250.00 GBP", table.FindAll("[data-testid=payment-amount]")[0].TextContent.Trim());
        Assert.Equal("Accepted; settlement follows shortly", table.FindAll("[data-testid=payment-status-detail]")[1].TextContent.Trim());
        Assert.Single(table.FindAll("[data-testid=payment-release]"));

        table.Find("[data-testid=payment-release]").Click();

        Assert.Equal(("pay-1", true), (reviewed?.Payment.PaymentId, reviewed?.Approve));
    }

    [Fact]
    public void PaymentsTable_HeldInternationalPayment_ShowsKindSentDebitedRateAndScreening_AndCanBeReleasedOrRejected()
    {
        string[] screening = ["SanctionsNameMatch: 'Bank Meli Iran' ~ 'Bank Melli Iran' (97) (+55)", "NewDestinationCountry: DE (+10)"];
        var abroad = Payment("ip-1", "Pending", "HeldForReview", held: true) with
        {
            Amount = "90.89", CreditorName = "Bank Meli Iran", Kind = "International", SentAmount = "92.00", SentCurrency = "EUR",
            ExchangeRate = 1.164313m, RiskScore = 65, RiskReasons = [.. screening, "UnusualHour: 03:00 (+10)"], ScreeningReasons = screening,
        };
        var domestic = Payment("dp-1", "AcceptedSettlementCompleted", null, held: false);
        var reviews = new List<(TenantPayment Payment, bool Approve)>();
        var table = Render<PaymentsTable>(p => p
            .Add(t => t.Payments, [abroad, domestic])
            .Add(t => t.CanReview, true)
            .Add(t => t.OnReview, r => reviews.Add(r)));

        Assert.Equal(["International", "Domestic"], table.FindAll("[data-testid=payment-kind]").Select(c => c.TextContent.Trim()));
        Assert.Equal("sent €92.00 · debited £90.89 @ 1.164313", table.FindAll("[data-testid=payment-amount]")[0].TextContent.Trim());
        Assert.Equal("1250.00 GBP", table.FindAll("[data-testid=payment-amount]")[1].TextContent.Trim());
        Assert.Equal(screening, table.FindAll("[data-testid=screening-reason]").Select(r => r.TextContent.Trim()));
        // Each reason once: screening's under its own heading, the other risk reasons above it.
        var risk = table.FindAll("tbody tr")[0].QuerySelectorAll("td")[5].TextContent;
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(risk, "SanctionsNameMatch"));
        Assert.Contains("UnusualHour", risk, StringComparison.Ordinal);

        table.Find("[data-testid=payment-release]").Click();
        table.Find("[data-testid=payment-reject]").Click();

        Assert.Equal([("ip-1", true), ("ip-1", false)], reviews.Select(r => (r.Payment.PaymentId, r.Approve)));
    }

    [Theory]
    [InlineData("18955", "JPY", "100.00", "GBP", null, "sent 18955 JPY · debited £100.00")]
    [InlineData("47.394", "BHD", "100.00", "GBP", "0.47394", "sent 47.394 BHD · debited £100.00 @ 0.473940")]
    public void PaymentsTable_International_WritesEachCurrencyAsTheSandboxDid(string sent, string sentCurrency, string debited, string currency, string? rate, string expected)
        => Assert.Equal(expected, PaymentsTable.International(Payment("ip-2", "Pending", null, held: false) with
        {
            Kind = "International", Amount = debited, Currency = currency, SentAmount = sent, SentCurrency = sentCurrency,
            ExchangeRate = rate is null ? null : decimal.Parse(rate, System.Globalization.CultureInfo.InvariantCulture),
        }));

    private static TenantPayment Payment(string id, string status, string? reason, bool held)
        => new(id, "consent-1", "demo-wallet", status, "1250.00", "GBP", "Carol Jones", "Rent", new DateTimeOffset(2026, 12, 2, 9, 30, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 12, 2, 9, 30, 0, TimeSpan.Zero), reason, held ? 72 : 5, held ? ["New payee", "Large amount"] : [], held);

    private static RenderFragment Fields<TComponent>(string parameter, object form) where TComponent : IComponent => builder =>
    {
        builder.OpenComponent<TComponent>(0);
        builder.AddAttribute(1, parameter, form);
        builder.CloseComponent();
    };

    private IRenderedComponent<ContainerFragment> RenderInForm(object model, RenderFragment fields, Action onValidSubmit)
    {
        // Selects render their lists through the popover provider (the layout brings its own).
        Render<MudPopoverProvider>();
        return Render(builder =>
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
}
