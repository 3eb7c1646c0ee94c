using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Playwright;
using OpenBanking.Shared;
using static Microsoft.Playwright.Assertions;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// The bank's fraud dashboard across the real services: an admin has /admin/fraud open, the demo wallet then makes a
/// payment through the gateway and its row appears without a reload (pushed by the Portal's hub from the Sandbox's
/// feed); a payment the risk engine holds (amount 9.93) is rejected from the queue with a note, and the audit log
/// shows the decision.
/// </summary>
public sealed class FraudDashboardTests(PlatformFixture platform, BrowserFixture browser)
{
    private const string RedirectUri = "http://localhost:5005/callback";
    private static readonly TimeSpan Push = TimeSpan.FromSeconds(30);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private Uri Portal => platform.EndpointOf(PlatformServices.Portal);

    [Fact]
    public async Task Admin_SeesANewPaymentAppearLive_AndRejectsAHeldOneWithANote_WhichIsAudited()
    {
        var page = await browser.NewPageAsync(Portal);
        await AdminAccount.SignInToPortalAsync(page, Portal, "/admin/fraud");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Fraud monitoring");
        await Expect(page.GetByTestId("fraud-stream")).ToBeVisibleAsync(new() { Timeout = (float)Push.TotalMilliseconds });
        var navigations = 0;
        page.FrameNavigated += (_, frame) =>
        {
            if (frame == page.MainFrame)
            {
                navigations++;
            }
        };

        // A payment made now, through the real gateway, appears in the open page by itself.
        var accepted = await PayAsync("4.27");
        await Expect(page.GetByTestId("fraud-stream").GetByText(accepted)).ToBeVisibleAsync(new() { Timeout = (float)Push.TotalMilliseconds });
        var row = page.GetByTestId("fraud-stream").Locator("tr").Filter(new() { HasText = accepted });
        await Expect(row).ToContainTextAsync("Demo Wallet Ltd");
        await Expect(row.GetByTestId("fraud-decision")).ToHaveTextAsync("Allowed");

        // 9.93 is the documented trigger of a hold: the payment joins the queue, and is rejected there with a note.
        var held = await PayAsync("9.93");
        var queue = page.GetByTestId("fraud-queue");
        await Expect(queue.GetByText(held)).ToBeVisibleAsync(new() { Timeout = (float)Push.TotalMilliseconds });
        await queue.GetByRole(AriaRole.Button, new() { Name = $"Review payment {held}" }).ClickAsync();
        await page.GetByTestId("fraud-review-reject").ClickAsync();
        await Expect(page.GetByText("Write a note saying why you reject the payment.")).ToBeVisibleAsync();
        await page.GetByTestId("fraud-review-note").FillAsync("Payee reported as a mule account.");
        await page.GetByTestId("fraud-review-reject").ClickAsync();
        await Expect(queue.GetByText(held)).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("fraud-review-form")).ToHaveCountAsync(0);
        // Its row in the live stream says what became of it (not "waiting for review" any more).
        var heldRow = page.GetByTestId("fraud-stream").Locator("tr").Filter(new() { HasText = held });
        await Expect(heldRow.GetByTestId("fraud-row-outcome")).ToContainTextAsync("rejected by", new() { Timeout = (float)Push.TotalMilliseconds });
        Assert.Equal(0, navigations);

        Assert.Null(await PageWidth.OverflowAsync(page));
        await page.SetViewportSizeAsync(Screenshots.PhoneWidth, Screenshots.PhoneHeight);
        Assert.Null(await PageWidth.OverflowAsync(page));
        await page.SetViewportSizeAsync(1440, 900);
        await Screenshots.SaveVariantsAsync(page, "admin-fraud");

        // The decision is in the audit log, with the note.
        await page.GotoAsync("/admin/audit");
        await PartnerAccounts.WaitInteractiveAsync(page);
        await page.GetByLabel("Entity ID").FillAsync(held);
        await page.GetByTestId("audit-search").ClickAsync();
        var entry = page.GetByTestId("audit-table").Locator("tr").Filter(new() { HasText = "payment.rejected" });
        await Expect(entry).ToContainTextAsync(held);
        await Expect(entry).ToContainTextAsync("Payee reported as a mule account.");
        await Expect(entry).ToContainTextAsync(DevelopmentSeed.AdminEmail);
    }

    /// <summary>The demo wallet pays <paramref name="amount"/> GBP from alice: consent, headless approval, payment; the payment id.</summary>
    private async Task<string> PayAsync(string amount)
    {
        using var identity = new HttpClient { BaseAddress = platform.EndpointOf(PlatformServices.Identity) };
        identity.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("demo-wallet:demo-wallet-secret")));
        using var gateway = new HttpClient { BaseAddress = platform.EndpointOf(PlatformServices.Gateway) };
        var initiation = "{\"InstructionIdentification\":\"ii-" + Guid.NewGuid().ToString("N")[..12] + "\",\"EndToEndIdentification\":\"e2e-fraud\","
            + $"\"InstructedAmount\":{{\"Amount\":\"{amount}\",\"Currency\":\"GBP\"}},"
            + "\"CreditorAccount\":{\"SchemeName\":\"UK.OBIE.SortCodeAccountNumber\",\"Identification\":\"20000012345678\",\"Name\":\"Jane Smith\"}}";

        using var token = await identity.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "payments",
        }), _ct);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var clientToken = (await token.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("access_token").GetString()!;
        var consent = await PostAsync(gateway, clientToken, "/open-banking/v3.1/pisp/domestic-payment-consents",
            "{\"Data\":{\"Initiation\":" + initiation + "},\"Risk\":{}}");
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;

        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        using var par = await identity.PostAsync("/connect/par", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = "demo-wallet",
            ["redirect_uri"] = RedirectUri,
            ["scope"] = "openid payments",
            ["state"] = "fraud-state",
            ["nonce"] = "fraud-nonce",
            ["code_challenge"] = WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
            ["consent_id"] = consentId,
        }), _ct);
        Assert.Equal(HttpStatusCode.Created, par.StatusCode);
        var requestUri = (await par.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("request_uri").GetString()!;
        using var approval = await identity.PostAsync("/sandbox/authorize", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = "demo-wallet",
            ["request_uri"] = requestUri,
            ["username"] = "alice",
            ["password"] = "sandbox",
            ["otp"] = "123456",
            ["decision"] = "approve",
        }), _ct);
        var approved = await approval.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.True(approval.StatusCode == HttpStatusCode.OK && approved.TryGetProperty("redirect_uri", out _), approved.ToString());
        var code = QueryHelpers.ParseQuery(new Uri(approved.GetProperty("redirect_uri").GetString()!).Query)["code"].ToString();
        using var tokens = await identity.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier,
        }), _ct);
        Assert.Equal(HttpStatusCode.OK, tokens.StatusCode);
        var customerToken = (await tokens.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("access_token").GetString()!;

        var payment = await PostAsync(gateway, customerToken, "/open-banking/v3.1/pisp/domestic-payments",
            "{\"Data\":{\"ConsentId\":\"" + consentId + "\",\"Initiation\":" + initiation + "},\"Risk\":{}}");
        return payment.GetProperty("Data").GetProperty("DomesticPaymentId").GetString()!;
    }

    private async Task<JsonElement> PostAsync(HttpClient gateway, string accessToken, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Add(PlatformHeaders.InteractionId, Guid.NewGuid().ToString());
        request.Headers.Add("x-idempotency-key", Guid.NewGuid().ToString("N"));
        using var response = await gateway.SendAsync(request, _ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }
}
