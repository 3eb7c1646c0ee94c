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
using OtpNet;
using static Microsoft.Playwright.Assertions;

namespace OpenBanking.EndToEnd.Tests;

/// <summary>
/// PII and secrets stay out of the logs: a partner signs up, registers an organisation and an app (its client secret
/// shown once), calls the bank with it; a wallet pays a new test customer's creditor after the customer signed in
/// with a password and an authenticator code. Then every line the four services wrote since start-up is searched for
/// each value the journey used.
/// </summary>
public sealed class LogPrivacyTests(PlatformFixture platform, BrowserFixture browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Uri Portal => platform.EndpointOf(PlatformServices.Portal);

    private Uri Identity => platform.EndpointOf(PlatformServices.Identity);

    private Uri Gateway => platform.EndpointOf(PlatformServices.Gateway);

    [Fact]
    public async Task PartnerJourneyAndPayment_LeaveNoPersonalDataOrSecretInAnyServiceLog()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var used = new Dictionary<string, string>();

        await PartnerJourneyAsync(suffix, used);
        await PaymentAsync(suffix, used);

        // The last request's lines reach the resource log stream asynchronously: wait until the gateway logged the payment.
        var paymentPath = "/open-banking/v3.1/pisp/domestic-payments";
        for (var attempt = 0; attempt < 100 && !platform.Logs.LinesOf(PlatformServices.Gateway).Any(l => l.Contains(paymentPath, StringComparison.Ordinal)); attempt++)
        {
            await Task.Delay(100, Ct);
        }

        foreach (var service in PlatformFixture.Services)
        {
            Assert.True(platform.Logs.LinesOf(service).Count > 10, $"Only {platform.Logs.LinesOf(service).Count} lines captured from {service}.");
        }

        var lines = platform.Logs.AllLines();
        // What was searched, for whoever reads a failure (or wants to see what the services log).
        await File.WriteAllLinesAsync(Path.Combine(Path.GetTempPath(), "log-privacy-capture.txt"), lines, Ct);
        Assert.Contains(lines, l => l.StartsWith("gateway: ", StringComparison.Ordinal) && l.Contains(paymentPath, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("identity: ", StringComparison.Ordinal) && l.Contains("/connect/token", StringComparison.Ordinal));

        var leaks = (from value in used
                     from line in lines
                     where Contains(line, value.Value)
                     select $"{value.Key} in {line}").Take(20).ToList();
        Assert.True(leaks.Count == 0, "Found in the logs:\n" + string.Join('\n', leaks));
    }

    // Short numeric values (a code, a sort code) only count as a standalone number, not as digits inside a longer one.
    private static bool Contains(string line, string value)
        => value.All(char.IsAsciiDigit) && value.Length < 10
            ? Regex.IsMatch(line, $"(?<![0-9A-Za-z]){value}(?![0-9A-Za-z])")
            : line.Contains(value, StringComparison.OrdinalIgnoreCase);

    private static JsonElement Property(JsonElement element, string name)
        => element.EnumerateObject().First(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    private async Task PartnerJourneyAsync(string suffix, Dictionary<string, string> used)
    {
        var email = $"lena.quist-{suffix}@privacy-wallet.example";
        var name = $"Lena Quist{suffix}";
        var password = $"Pw-{suffix}-Secret!";
        var organisationName = $"Quist Payments {suffix} Ltd";
        used["email"] = email;
        used["email (encoded)"] = Uri.EscapeDataString(email);
        used["name"] = name;
        used["password"] = password;

        var partner = await browser.NewPageAsync(Portal);
        await PartnerAccounts.RegisterAsync(partner, Identity, email, name, password);
        await PartnerAccounts.SignInToPortalAsync(partner, Portal, email, password);
        await partner.GetByTestId("start-onboarding").ClickAsync();
        await Expect(partner).ToHaveURLAsync(new Regex("/organisation/register$"));
        await PartnerAccounts.WaitInteractiveAsync(partner);
        await partner.GetByTestId("org-legal-name").FillAsync(organisationName);
        await partner.GetByTestId("org-registration-number").FillAsync("07654321");
        await partner.Locator(".mud-select").Filter(new() { HasText = "Country of registration" }).Last.ClickAsync();
        await partner.GetByRole(AriaRole.Option, new() { Name = "United Kingdom" }).ClickAsync();
        await partner.GetByTestId("org-website").FillAsync("https://privacy-wallet.example");
        await partner.GetByRole(AriaRole.Checkbox, new() { Name = "Account information (AISP)" }).CheckAsync();
        await partner.GetByTestId("org-description").FillAsync($"A wallet run by {name}, reachable at {email}.");
        await partner.GetByTestId("org-submit").ClickAsync();
        await Expect(partner).ToHaveURLAsync(new Regex("/organisation$"));

        var admin = await browser.NewPageAsync(Portal);
        await AdminAccount.SignInToPortalAsync(admin, Portal, "/admin/review");
        var pending = admin.GetByTestId("pending-organisation").Filter(new() { HasText = organisationName });
        await pending.GetByTestId("approve-organisation").ClickAsync();
        await Expect(pending).ToHaveCountAsync(0);

        await partner.GotoAsync("/apps");
        await PartnerAccounts.WaitInteractiveAsync(partner);
        await Expect(partner.GetByTestId("organisation-status-banner")).ToContainTextAsync("Approved");
        await partner.GetByTestId("create-app").ClickAsync();
        await Expect(partner).ToHaveURLAsync(new Regex("/apps/new$"));
        await partner.GetByTestId("app-name").FillAsync($"Quist Wallet {suffix}");
        await partner.GetByTestId("app-redirect-uris").FillAsync("http://localhost:5005/callback");
        await partner.GetByTestId("app-submit").ClickAsync();
        await Expect(partner.GetByTestId("secret-dialog")).ToBeVisibleAsync();
        var clientId = await partner.GetByTestId("client-id").InputValueAsync();
        var secret = await partner.GetByTestId("client-secret").InputValueAsync();
        used["client secret"] = secret;

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = Basic(clientId, secret);
        using var tokenResponse = await http.PostAsync(new Uri(Identity, "/connect/token"),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "accounts" }), Ct);
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("access_token").GetString()!;
        used["partner access token"] = token;
        using var consentRequest = new HttpRequestMessage(HttpMethod.Post, new Uri(Gateway, "/open-banking/v3.1/aisp/account-access-consents"))
        {
            Content = new StringContent("""{"Data":{"Permissions":["ReadAccountsBasic"]},"Risk":{}}""", Encoding.UTF8, "application/json"),
        };
        consentRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var consentResponse = await http.SendAsync(consentRequest, Ct);
        Assert.Equal(HttpStatusCode.Created, consentResponse.StatusCode);
    }

    private async Task PaymentAsync(string suffix, Dictionary<string, string> used)
    {
        using var identity = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Identity };
        identity.DefaultRequestHeaders.Authorization = Basic("demo-wallet", "demo-wallet-secret");
        used["demo wallet secret"] = "demo-wallet-secret";
        using var gateway = new HttpClient { BaseAddress = Gateway };

        // A test customer of the demo tenant with its own password and authenticator.
        var username = $"quist{suffix}";
        var customerName = $"Mirela Quist{suffix}";
        var customerPassword = $"Cu-{suffix}-Pass";
        used["customer username"] = username;
        used["customer name"] = customerName;
        used["customer password"] = customerPassword;
        var customer = await PostJsonAsync(gateway, await ClientTokenAsync(identity, "accounts", used), "/sandbox/v1/customers",
            JsonSerializer.Serialize(new
            {
                Username = username,
                Name = customerName,
                Password = customerPassword,
                Accounts = new[] { new { Currency = "GBP", OpeningBalance = "2500.00" } },
            }));
        var debtorAccount = Property(Property(customer, "Accounts")[0], "Identification").GetString()!;
        used["debtor sort code + account"] = debtorAccount;
        used["debtor account number"] = debtorAccount[6..];
        var totpSecret = Property(customer, "TotpSecret").GetString()!;
        used["TOTP secret"] = totpSecret;
        var authenticator = new Totp(Base32Encoding.ToBytes(totpSecret));

        var digits = string.Concat(Guid.NewGuid().ToString("N").Where(char.IsAsciiDigit)).PadRight(14, '7');
        var sortCode = "60" + digits[..4];
        var accountNumber = "4" + digits[4..11];
        var creditorName = $"Ottilie Brandvold{suffix}";
        used["creditor sort code"] = sortCode;
        used["creditor account number"] = accountNumber;
        used["creditor sort code + account"] = sortCode + accountNumber;
        used["creditor name"] = creditorName;
        var initiation = JsonSerializer.Serialize(new
        {
            InstructionIdentification = "ii-" + suffix,
            EndToEndIdentification = "e2e-" + suffix,
            InstructedAmount = new { Amount = "12.34", Currency = "GBP" },
            CreditorAccount = new { SchemeName = "UK.OBIE.SortCodeAccountNumber", Identification = sortCode + accountNumber, Name = creditorName },
        });
        var consent = await PostJsonAsync(gateway, await ClientTokenAsync(identity, "payments", used), "/open-banking/v3.1/pisp/domestic-payment-consents",
            "{\"Data\":{\"Initiation\":" + initiation + "},\"Risk\":{}}");
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;

        // PAR with PKCE, the customer's headless sign-in (password + authenticator code) and approval, the code exchange.
        var verifier = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var par = await PostFormAsync(identity, "/connect/par", HttpStatusCode.Created, new()
        {
            ["response_type"] = "code",
            ["client_id"] = "demo-wallet",
            ["redirect_uri"] = RedirectUri,
            ["scope"] = "openid payments offline_access",
            ["state"] = "privacy-state",
            ["nonce"] = "privacy-nonce",
            ["code_challenge"] = WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
            ["consent_id"] = consentId,
        });
        var code = authenticator.ComputeTotp();
        used["TOTP code"] = code;
        var approved = await PostFormAsync(identity, "/sandbox/authorize", HttpStatusCode.OK, new()
        {
            ["client_id"] = "demo-wallet",
            ["request_uri"] = par.GetProperty("request_uri").GetString()!,
            ["username"] = username,
            ["password"] = customerPassword,
            ["otp"] = code,
            ["decision"] = "approve",
        });
        var authorizationCode = QueryHelpers.ParseQuery(new Uri(approved.GetProperty("redirect_uri").GetString()!).Query)["code"].ToString();
        used["authorization code"] = authorizationCode;
        var tokens = await PostFormAsync(identity, "/connect/token", HttpStatusCode.OK, new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = authorizationCode,
            ["redirect_uri"] = RedirectUri,
            ["code_verifier"] = verifier,
        });
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        used["customer access token"] = accessToken;
        if (tokens.TryGetProperty("refresh_token", out var refresh))
        {
            used["refresh token"] = refresh.GetString()!;
        }

        await PostJsonAsync(gateway, accessToken, "/open-banking/v3.1/pisp/domestic-payments",
            "{\"Data\":{\"ConsentId\":\"" + consentId + "\",\"Initiation\":" + initiation + "},\"Risk\":{}}");
    }

    private const string RedirectUri = "http://localhost:5005/callback";

    private static AuthenticationHeaderValue Basic(string id, string secret)
        => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(id)}:{Uri.EscapeDataString(secret)}")));

    private static async Task<string> ClientTokenAsync(HttpClient identity, string scope, Dictionary<string, string> used)
    {
        var body = await PostFormAsync(identity, "/connect/token", HttpStatusCode.OK, new() { ["grant_type"] = "client_credentials", ["scope"] = scope });
        var token = body.GetProperty("access_token").GetString()!;
        used[$"{scope} client token"] = token;
        return token;
    }

    private static async Task<JsonElement> PostFormAsync(HttpClient identity, string path, HttpStatusCode expected, Dictionary<string, string> form)
    {
        using var response = await identity.PostAsync(path, new FormUrlEncodedContent(form), Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.StatusCode == expected, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }

    private static async Task<JsonElement> PostJsonAsync(HttpClient gateway, string accessToken, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        request.Headers.Add(PlatformHeaders.InteractionId, Guid.NewGuid().ToString());
        request.Headers.Add("x-idempotency-key", Guid.NewGuid().ToString("N"));
        using var response = await gateway.SendAsync(request, Ct);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }
}
