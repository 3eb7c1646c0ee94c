using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>
/// Sign-up from the Portal never dead-ends: the return address survives register → confirmation mail → confirm →
/// sign-in (only the Portal's origin or a local path), and the form shows its rules first and every error at once.
/// </summary>
public sealed class SignUpReturnTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private const string Password = "Correct-Horse-7";

    /// <summary>The Portal's lasting sign-in entry for its apps page (the Portal's origin in Development).</summary>
    private const string PortalReturn = "http://localhost:5000/account/sign-in?returnUrl=%2Fapps";

    [Fact]
    public async Task SignUp_ReturnUrlSurvivesTheMailConfirmationAndSignIn()
    {
        var session = NewSession();
        var email = NewEmail();

        var register = await session.GetAsync("/account/register?returnUrl=" + Uri.EscapeDataString(PortalReturn));
        var checkEmail = await session.SubmitAsync(register, "register-form", Fields(email, "Ada Partner", Password, Password));
        var link = await session.LinkInNewestMailAsync(email, "Confirm your email address");
        var confirmed = await session.GetAsync(link);
        var signInHref = confirmed.ByTestId("sign-in")!.GetAttribute("href")!;
        var login = await session.GetAsync(signInHref);
        using var signedIn = await session.PostFormAsync(login, "login-form", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
        });

        Assert.NotNull(checkEmail.ByTestId("check-email"));
        Assert.Equal("/dev/mail", checkEmail.ByTestId("dev-mail-link")?.GetAttribute("href"));
        Assert.Contains(Uri.EscapeDataString(PortalReturn), link, StringComparison.Ordinal);
        Assert.NotNull(confirmed.ByTestId("email-confirmed"));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(PortalReturn, signedIn.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("https://evil.example/account/sign-in")]
    [InlineData("//evil.example/")]
    [InlineData("http://localhost:5000@evil.example/")]
    [InlineData("javascript:alert(1)")]
    public async Task SignUp_WithAForeignReturnUrl_DropsIt_AndEndsOnTheAccountPage(string returnUrl)
    {
        var session = NewSession();
        var email = NewEmail();

        var register = await session.GetAsync("/account/register?returnUrl=" + Uri.EscapeDataString(returnUrl));
        await session.SubmitAsync(register, "register-form", Fields(email, "Eve Partner", Password, Password));
        var link = await session.LinkInNewestMailAsync(email, "Confirm your email address");
        var confirmed = await session.GetAsync(link);
        var login = await session.GetAsync(confirmed.ByTestId("sign-in")!.GetAttribute("href")!);
        using var signedIn = await session.PostFormAsync(login, "login-form", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
        });

        Assert.DoesNotContain("evil", link, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript", link, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("/account", signedIn.Headers.Location!.OriginalString);
        var account = await session.FollowAsync(signedIn);
        Assert.Equal("http://localhost:5000/", account.ByTestId("go-to-portal")?.GetAttribute("href"));
    }

    [Fact]
    public async Task PortalSignIn_OffersSignUp_WithThePortalsLastingReturnAddress()
    {
        var session = NewSession();
        using var portal = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        portal.DefaultRequestHeaders.Authorization = Wallet.Basic("portal", "portal-dev-secret");
        var pkce = Wallet.Pkce.Create();
        using var pushed = await portal.PostAsync("/connect/par", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["response_type"] = "code", ["client_id"] = "portal", ["redirect_uri"] = "http://localhost:5000/signin-oidc",
            ["scope"] = "openid profile", ["state"] = "s", ["nonce"] = "n", ["code_challenge"] = pkce.Challenge,
            ["code_challenge_method"] = "S256", ["portal_return_path"] = "/apps",
        }), TestContext.Current.CancellationToken);
        var requestUri = JsonDocument.Parse(await pushed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))
            .RootElement.GetProperty("request_uri").GetString()!;

        var login = await session.GetAsync($"/connect/authorize?client_id=portal&request_uri={Uri.EscapeDataString(requestUri)}");
        var register = login.ByTestId("register")!.GetAttribute("href")!;

        Assert.Contains("/account/login", login.Url.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal("/account/register?returnUrl=" + Uri.EscapeDataString(PortalReturn), register);
    }

    [Fact]
    public async Task Register_ListsThePasswordRules_BeforeAnythingIsTyped()
    {
        var page = await NewSession().GetAsync("/account/register");

        var rules = page.Document.QuerySelectorAll("[data-testid='password-rules'] li").Select(li => li.TextContent.Trim()).ToArray();

        Assert.Equal(["at least 10 characters", "an upper-case letter (A–Z)", "a lower-case letter (a–z)", "a digit (0–9)", "a symbol, such as ! # or %"], rules);
        Assert.Equal("password-rules", page.Document.QuerySelector("#Input_Password")?.GetAttribute("aria-describedby"));
    }

    [Fact]
    public async Task Register_WithEverythingWrong_ReportsEveryErrorAtOnce_AndKeepsWhatWasTyped()
    {
        var session = NewSession();

        var page = await session.SubmitAsync(await session.GetAsync("/account/register"), "register-form",
            Fields("not-an-address", string.Empty, "short", "different"));

        var errors = page.Errors;
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Enter an email address like name@example.com.", errors, StringComparison.Ordinal);
        Assert.Contains("Enter your name.", errors, StringComparison.Ordinal);
        Assert.Contains("Make the password at least 10 characters long.", errors, StringComparison.Ordinal);
        Assert.Contains("Add an upper-case letter (A–Z) to the password.", errors, StringComparison.Ordinal);
        Assert.Contains("Add a digit (0–9) to the password.", errors, StringComparison.Ordinal);
        Assert.Contains("The two passwords are not the same.", errors, StringComparison.Ordinal);
        Assert.Equal("not-an-address", page.Document.QuerySelector("#Input_Email")?.GetAttribute("value"));
        Assert.True(string.IsNullOrEmpty(page.Document.QuerySelector("#Input_Password")?.GetAttribute("value")));
    }

    private static Dictionary<string, string> Fields(string email, string name, string password, string confirm) => new()
    {
        ["Input.Email"] = email,
        ["Input.DisplayName"] = name,
        ["Input.Password"] = password,
        ["Input.ConfirmPassword"] = confirm,
    };

    private HtmlSession NewSession() =>
        new(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    private static string NewEmail() => $"dev-{Guid.NewGuid():N}@wallet.example";
}
