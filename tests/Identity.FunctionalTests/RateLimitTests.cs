using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>Per-IP limits on what costs a hash check or sends mail: the attempt after the limit is a 429 with Retry-After.</summary>
public sealed class RateLimitTests(RateLimitTests.LowLimitsFactory factory) : IClassFixture<RateLimitTests.LowLimitsFactory>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task TokenEndpoint_AfterItsLimit_Is429WithRetryAfter_AndAnOAuthError()
    {
        using var client = factory.CreateClient();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var wrong = await TokenAsync(client, "wrong-secret-" + attempt);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var response = await TokenAsync(client, "demo-wallet-secret");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.InRange(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 600);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.Equal("slow_down", body.GetProperty("error").GetString());
        Assert.Contains("try again", body.GetProperty("error_description").GetString());
        // Reading discovery is never limited.
        using var discovery = await client.GetAsync("/.well-known/openid-configuration", _ct);
        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
    }

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/account/forgotpassword")]
    [InlineData("/customer/sign-in")]
    public async Task FormPost_AfterItsLimit_Is429WithRetryAfter_AndProblemDetails(string path)
    {
        using var client = factory.CreateClient();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var allowed = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" }), _ct);
            Assert.NotEqual(HttpStatusCode.TooManyRequests, allowed.StatusCode);
        }

        using var response = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" }), _ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.Contains("Retry-After"));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        // The page itself still opens.
        using var page = await client.GetAsync(path, _ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task AccountMail_OutsideDevelopment_HasALimitByDefault()
    {
        using var production = new ProductionIdentityFactory();
        using var client = production.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 11; attempt++)
        {
            using var response = await client.PostAsync("/account/resendemailconfirmation", new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" }), _ct);
            statuses.Add(response.StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(10));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[10]);
    }

    private async Task<HttpResponseMessage> TokenAsync(HttpClient client, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "accounts" }),
        };
        request.Headers.Authorization = Wallet.Basic("demo-wallet", secret);
        return await client.SendAsync(request, _ct);
    }

    public sealed class LowLimitsFactory : ServiceFactory<Program>
    {
        public LowLimitsFactory()
        {
            WithSetting("Identity:RateLimits:Token:PermitLimit", "3");
            WithSetting("Identity:RateLimits:Token:Window", "00:10:00");
            foreach (var name in new[] { "SignIn", "AccountMail", "Customer" })
            {
                WithSetting($"Identity:RateLimits:{name}:PermitLimit", "2");
                WithSetting($"Identity:RateLimits:{name}:Window", "00:10:00");
            }
        }
    }
}

/// <summary>Account emails per account, whatever IP asks: beyond the quota nothing is sent, and the page answers the same.</summary>
public sealed class MailQuotaTests
{
    [Fact]
    public async Task ForgotPassword_BeyondTheAccountsMailQuota_SendsNothingMore_ButAnswersTheSame()
    {
        using var factory = new ServiceFactory<Program>().WithSetting("Identity:RateLimits:MailPerAccount:PermitLimit", "2");
        var session = new HtmlSession(factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false }));
        var answers = new List<string?>();

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var page = await session.SubmitAsync(await session.GetAsync("/account/forgotpassword"), "forgot-form",
                new Dictionary<string, string> { ["Input.Email"] = OpenBanking.Shared.DevelopmentSeed.PartnerEmail });
            answers.Add(page.Url.AbsolutePath);
        }

        Assert.All(answers, answer => Assert.Equal("/account/checkemail", answer));
        var mail = Directory.EnumerateFiles(Path.Combine(factory.DataDirectory, "mail"), "*.json")
            .Count(file => File.ReadAllText(file).Contains(OpenBanking.Shared.DevelopmentSeed.PartnerEmail, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(2, mail);
    }
}
