using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;
using OpenBanking.Shared;
using static Microsoft.Playwright.Assertions;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// axe-core on the Portal's pages for everyone (no sign-in) in the light and the dark theme at 1440 and 390 pixels: no
/// serious or critical violation. Each area of the site is its own test class, so that the areas are checked side by
/// side; each visits its pages in a loop and fails with the whole list (page, theme, width, rule, impact, element).
/// </summary>
public sealed class PublicPortalAccessibilityTests(PlatformFixture platform, BrowserFixture browser)
{
    // One component renders every guide (and every API's reference): these cover each kind of content it shows —
    // code blocks (authorisation), tables and anchors (payments), the longest page with the most links (portal), code
    // side by side (migrating-to-v4).
    private static readonly string[] Guides = ["authorisation", "payments", "portal", "migrating-to-v4"];

    private Uri Portal => platform.EndpointOf(PlatformServices.Portal);

    [Fact]
    public async Task PortalPagesForEveryone_HaveNoSeriousOrCriticalViolations()
    {
        var page = await AccessibilityAudit.NewPageAsync(browser, Portal);
        string[] paths =
        [
            "/", "/status", "/reference", "/reference/cbpii", "/reference/cbpii?version=4.0", "/guides",
            .. Guides.Select(g => "/guides/" + g), "/not-found",
        ];

        Axe.AssertNone(await AccessibilityAudit.PortalAsync(page, paths.Select(p => new AccessibilityAudit.Visit(p)).ToArray()));
    }
}

/// <summary>axe-core on the demo partner's Portal pages, each tab and the add-customer dialog, both themes and widths.</summary>
public sealed class PartnerPortalAccessibilityTests(PlatformFixture platform, BrowserFixture browser)
{
    private Uri Portal => platform.EndpointOf(PlatformServices.Portal);

    [Fact]
    public async Task PortalPagesForThePartner_HaveNoSeriousOrCriticalViolations()
    {
        var page = await AccessibilityAudit.NewPageAsync(browser, Portal);
        await PartnerAccounts.SignInToPortalAsync(page, Portal, DevelopmentSeed.PartnerEmail, "Partner!2345", "/apps");
        var app = "/apps/" + DevelopmentSeed.DemoAppClientId;

        var audit = await AccessibilityAudit.PortalAsync(page,
        [
            new("/"), new("/apps"), new("/apps/new"), new(app),
            // Each tab has its own address (on a phone the tab strip is a select, so clicking tabs would not work there).
            // The spec-lint summary above the log loads (its table or its empty state; never its error) before axe runs.
            new(app + "/calls", null, p => Expect(p.GetByTestId("top-problems-table").Or(p.GetByTestId("top-problems-empty"))).ToBeVisibleAsync()),
            new(app + "/usage"), new(app + "/quickstart"), new(app + "/events"), new(app + "/security"),
            new(app + "/go-live", null, p => Expect(p.GetByTestId("readiness-verdict")).ToBeVisibleAsync()),
            new("/sandbox"), new("/sandbox/fx"), new("/payments"), new("/organisation"), new("/consents"),
            new("/reference/ais", "console", p => p.GetByText("Run the consent flow").ClickAsync()),
        ]);

        // A modal dialog covers the theme toggle: the theme is set first, then the dialog opened, for each theme and width.
        foreach (var (width, height) in AccessibilityAudit.Sizes)
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var dark in new[] { false, true })
            {
                await page.GotoAsync("/sandbox");
                await PartnerAccounts.WaitInteractiveAsync(page);
                await Theme.SetAsync(page, dark);
                await page.GetByTestId("add-customer").ClickAsync();
                await Expect(page.GetByTestId("customer-username")).ToBeVisibleAsync();
                audit.AddRange(await Axe.SeriousViolationsAsync(page, $"/sandbox (add test customer) · {(dark ? "dark" : "light")} · {width}px"));
                await page.GetByTestId("customer-cancel").ClickAsync();
                await Expect(page.GetByTestId("customer-username")).ToHaveCountAsync(0);
            }

            await Theme.SetAsync(page, dark: false);
        }

        Axe.AssertNone(audit);
    }
}

/// <summary>axe-core on the bank admin's Portal pages, both themes and widths.</summary>
public sealed class AdminPortalAccessibilityTests(PlatformFixture platform, BrowserFixture browser)
{
    private Uri Portal => platform.EndpointOf(PlatformServices.Portal);

    [Fact]
    public async Task PortalPagesForTheAdmin_HaveNoSeriousOrCriticalViolations()
    {
        var page = await AccessibilityAudit.NewPageAsync(browser, Portal);
        await AdminAccount.SignInToPortalAsync(page, Portal, "/admin");

        var audit = await AccessibilityAudit.PortalAsync(page,
        [
            new("/admin"), new("/admin/review"), new("/admin/organisations"),
            new("/admin/organisations/" + DevelopmentSeed.DemoOrganisationId), new("/admin/audit"),
            // The fraud dashboard once its first push arrived (the live stream, never the loading bar).
            new("/admin/fraud", null, p => Expect(p.GetByTestId("fraud-stream")).ToBeVisibleAsync(new() { Timeout = 30_000 })),
        ]);

        Axe.AssertNone(audit);
    }
}

/// <summary>
/// axe-core on Identity's pages: a developer's sign-in and sign-up, and a bank customer's consent journey page by page,
/// in the light and the dark colour scheme at both widths.
/// </summary>
public sealed class BankCustomerAccessibilityTests(PlatformFixture platform, BrowserFixture browser)
{
    private Uri Identity => platform.EndpointOf(PlatformServices.Identity);

    [Fact]
    public async Task BankCustomerPagesAtIdentity_HaveNoSeriousOrCriticalViolations()
    {
        const string redirectUri = "http://localhost:5005/callback";
        var audit = new List<string>();
        var page = await AccessibilityAudit.NewPageAsync(browser, Identity);
        // Nothing listens on the demo wallet's redirect URI here: answer it in the browser.
        await page.RouteAsync(redirectUri + "**", route => route.FulfillAsync(new() { Status = 200, ContentType = "text/plain", Body = "wallet callback" }));

        // A developer's pages first (anonymous), then a customer's consent journey, page by page.
        foreach (var path in new[] { "/account/login", "/account/register" })
        {
            await page.GotoAsync(path);
            audit.AddRange(await AccessibilityAudit.IdentityPageAsync(page, path));
        }

        await page.GotoAsync("/connect/authorize?client_id=demo-wallet&request_uri=" + Uri.EscapeDataString(await PushConsentAsync(redirectUri)));
        await Expect(page.GetByLabel("Username")).ToBeVisibleAsync();
        audit.AddRange(await AccessibilityAudit.IdentityPageAsync(page, "customer sign-in"));
        await page.GetByLabel("Username").FillAsync("alice");
        await page.GetByLabel("Password").FillAsync("sandbox");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByLabel("Security code")).ToBeVisibleAsync();
        audit.AddRange(await AccessibilityAudit.IdentityPageAsync(page, "customer second factor"));
        await page.GetByLabel("Security code").FillAsync("123456");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        await Expect(page.GetByTestId("account-choice").First).ToBeVisibleAsync();
        audit.AddRange(await AccessibilityAudit.IdentityPageAsync(page, "consent and account selection"));
        await page.GetByTestId("account-choice").First.CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await page.WaitForURLAsync(redirectUri + "**");

        await page.GotoAsync(new Uri(Identity, "/customer/apps").ToString());
        await Expect(page.GetByTestId("connected-app").First).ToBeVisibleAsync();
        audit.AddRange(await AccessibilityAudit.IdentityPageAsync(page, "/customer/apps"));

        Axe.AssertNone(audit);
    }

    /// <summary>What the demo wallet does before sending a customer to the bank: a consent, then a pushed authorization request.</summary>
    private async Task<string> PushConsentAsync(string redirectUri)
    {
        var ct = TestContext.Current.CancellationToken;
        using var identity = new HttpClient { BaseAddress = Identity };
        identity.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("demo-wallet:demo-wallet-secret")));
        using var gateway = new HttpClient { BaseAddress = platform.EndpointOf(PlatformServices.Gateway) };

        using var token = await identity.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "accounts",
        }), ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/open-banking/v3.1/aisp/account-access-consents")
        {
            Content = new StringContent("""{"Data":{"Permissions":["ReadAccountsDetail","ReadBalances"]},"Risk":{}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
            (await token.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("access_token").GetString());
        using var consent = await gateway.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.Created, consent.StatusCode);
        var consentId = (await consent.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("Data").GetProperty("ConsentId").GetString()!;

        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        using var par = await identity.PostAsync("/connect/par", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = "demo-wallet",
            ["redirect_uri"] = redirectUri,
            ["scope"] = "openid accounts offline_access",
            ["state"] = "a11y-state",
            ["nonce"] = "a11y-nonce",
            ["code_challenge"] = WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
            ["consent_id"] = consentId,
        }), ct);
        Assert.Equal(HttpStatusCode.Created, par.StatusCode);
        return (await par.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("request_uri").GetString()!;
    }
}

/// <summary>How the accessibility tests visit pages: each at desktop and phone width, in both themes.</summary>
internal static class AccessibilityAudit
{
    public static readonly (int Width, int Height)[] Sizes = [(1440, 900), (Screenshots.PhoneWidth, Screenshots.PhoneHeight)];

    /// <summary>A Portal page to check, and what to do on it once it is interactive (open a tab, a panel).</summary>
    public sealed record Visit(string Path, string? State = null, Func<IPage, Task>? Prepare = null)
    {
        public override string ToString() => State is null ? Path : $"{Path} ({State})";
    }

    public static async Task<IPage> NewPageAsync(BrowserFixture browser, Uri baseUrl)
    {
        var page = await browser.NewPageAsync(baseUrl);
        await page.SetViewportSizeAsync(Sizes[0].Width, Sizes[0].Height);
        return page;
    }

    /// <summary>
    /// Each page loaded once per width, then checked in the light and the dark theme (switched with the toggle). The
    /// theme outlives a page load, so each page is checked first in the theme the previous one ended in: one switch a
    /// page, since a switch waits for the colour transitions to end.
    /// </summary>
    public static async Task<List<string>> PortalAsync(IPage page, IReadOnlyList<Visit> visits)
    {
        var audit = new List<string>();
        var dark = false;
        foreach (var (width, height) in Sizes)
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var visit in visits)
            {
                await page.GotoAsync(visit.Path);
                await PartnerAccounts.WaitInteractiveAsync(page);
                if (visit.Prepare is not null)
                {
                    await visit.Prepare(page);
                }

                foreach (var theme in new[] { dark, !dark })
                {
                    await Theme.SetAsync(page, theme);
                    audit.AddRange(await Axe.SeriousViolationsAsync(page, $"{visit} · {(theme ? "dark" : "light")} · {width}px"));
                }

                dark = !dark;
            }
        }

        await Theme.SetAsync(page, dark: false);
        return audit;
    }

    /// <summary>Identity follows the browser's colour scheme: both schemes and both widths, without reloading the page.</summary>
    public static async Task<List<string>> IdentityPageAsync(IPage page, string name)
    {
        var audit = new List<string>();
        foreach (var (width, height) in Sizes)
        {
            await page.SetViewportSizeAsync(width, height);
            foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
            {
                await page.EmulateMediaAsync(new() { ColorScheme = scheme });
                audit.AddRange(await Axe.SeriousViolationsAsync(page, $"{name} · {scheme.ToString().ToLowerInvariant()} · {width}px"));
            }
        }

        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await page.SetViewportSizeAsync(Sizes[0].Width, Sizes[0].Height);
        return audit;
    }
}

/// <summary>
/// The main Portal pages on a phone (390 × 844): nothing wider than the screen (no sideways scrolling of the page).
/// With <c>UPDATE_SCREENSHOTS=1</c> it also renews their screenshots: desktop and phone, light and dark.
/// </summary>
public sealed class PhoneWidthTests(PlatformFixture platform, BrowserFixture browser)
{
    [Fact]
    public async Task MainPortalPages_AtPhoneWidth_DoNotOverflowSideways()
    {
        var portal = platform.EndpointOf(PlatformServices.Portal);
        var page = await browser.NewPageAsync(portal);
        await PartnerAccounts.SignInToPortalAsync(page, portal, DevelopmentSeed.PartnerEmail, "Partner!2345", "/");
        var pages = new (string Path, string Name)[]
        {
            ("/", "home"), ("/apps", "apps"), ("/apps/" + DevelopmentSeed.DemoAppClientId, "app-detail"), ("/sandbox", "sandbox"),
            ("/payments", "payments"), ("/organisation", "organisation"), ("/reference", "reference"),
            ("/reference/ais", "reference-ais"), ("/reference/ais?version=4.0", "reference-ais-v4"), ("/guides", "guides"),
            ("/guides/payments", "guide-payments"), ("/guides/migrating-to-v4", "guide-migrating-to-v4"),
            ("/guides/recurring-payments", "guide-recurring-payments"), ("/guides/standing-orders", "guide-standing-orders"),
            ("/reference/vrp", "reference-vrp"), ("/status", "status"),
            ("/apps/" + DevelopmentSeed.DemoAppClientId + "/events", "app-events"), ("/guides/events", "guide-events"),
            ("/sandbox/fx", "fx"), ("/guides/international-payments", "guide-international-payments"),
            ("/apps/" + DevelopmentSeed.DemoAppClientId + "/security", "app-security"), ("/apps/" + DevelopmentSeed.DemoAppClientId + "/calls", "app-calls"),
            ("/apps/" + DevelopmentSeed.DemoAppClientId + "/go-live", "app-go-live"), ("/consents", "consents"),
        };

        var overflowing = new List<string>();
        await page.SetViewportSizeAsync(Screenshots.PhoneWidth, Screenshots.PhoneHeight);
        foreach (var (path, name) in pages)
        {
            await page.GotoAsync(path);
            await PartnerAccounts.WaitInteractiveAsync(page);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            var overflow = await PageWidth.OverflowAsync(page);
            if (overflow is not null)
            {
                overflowing.Add($"{path}: {overflow}");
            }

            if (Screenshots.Updating)
            {
                await page.SetViewportSizeAsync(1440, 900);
                await Screenshots.SaveVariantsAsync(page, name);
                await page.SetViewportSizeAsync(Screenshots.PhoneWidth, Screenshots.PhoneHeight);
            }
        }

        Assert.True(overflowing.Count == 0, "Pages wider than a 390 px screen:" + System.Environment.NewLine + string.Join(System.Environment.NewLine, overflowing));
    }
}
