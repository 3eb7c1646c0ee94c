using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>
/// Identity's own log output, captured by a provider added like any collector's, with the framework's request lines
/// and OpenIddict's request logging turned on: a partner signs up (twice, so both account log lines are written) and
/// an app takes a token; none of the values used appears, but the journey's lines do.
/// </summary>
public sealed class LogPrivacyTests(LogPrivacyTests.CapturingFactory factory) : IClassFixture<LogPrivacyTests.CapturingFactory>
{
    public sealed class CapturingFactory : ServiceFactory<Program>
    {
        public CapturingLoggerProvider Captured { get; } = new();

        public CapturingFactory()
        {
            WithSetting("Logging:LogLevel:Microsoft.AspNetCore.Hosting", "Information");
            WithSetting("Logging:LogLevel:OpenIddict", "Information");
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(Captured));
        }
    }

    [Fact]
    public async Task SignUpAndTokens_LeaveNoEmailNamePasswordOrTokenInTheLogs()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var email = $"ines.vold-{suffix}@privacy.example";
        var name = $"Ines Vold{suffix}";
        var password = $"Pw-{suffix}-Horse";
        var session = new HtmlSession(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        var form = new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.DisplayName"] = name,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        };
        Assert.NotNull((await session.SubmitAsync(await session.GetAsync("/account/register"), "register-form", form)).ByTestId("check-email"));
        Assert.NotNull((await session.SubmitAsync(await session.GetAsync("/account/register"), "register-form", form)).ByTestId("check-email"));

        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = Wallet.Basic("demo-wallet", "demo-wallet-secret");
        using var response = await client.PostAsync("/connect/token?login_hint=" + Uri.EscapeDataString(email),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "accounts" }),
            TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var accessToken = System.Text.Json.JsonDocument.Parse(token).RootElement.GetProperty("access_token").GetString()!;

        var lines = factory.Captured.AllText();
        Assert.Contains(lines, l => l.Contains("Partner account registered for", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Registration attempted for an existing account", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("/connect/token", StringComparison.Ordinal));
        foreach (var value in new[] { email, Uri.EscapeDataString(email), name, password, "demo-wallet-secret", accessToken, accessToken[..40] })
        {
            Assert.DoesNotContain(lines, l => l.Contains(value, StringComparison.OrdinalIgnoreCase));
        }
    }
}
