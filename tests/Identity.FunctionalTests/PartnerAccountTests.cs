using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Identity.Infrastructure;
using OpenBanking.Shared;
using OpenBanking.TestKit;
using OtpNet;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>Partner developer and admin accounts through the server-rendered pages, over real HTTP and SQLite.</summary>
public sealed class PartnerAccountTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private const string Password = "Correct-Horse-7";
    private const string AccountHome = "/account";
    private const string TwoFactorPath = "/account/manage/twofactor";

    [Fact]
    public async Task Register_ThenConfirmEmail_LetsThePartnerSignIn()
    {
        var session = NewSession();
        var email = NewEmail();

        var registered = await session.SubmitAsync(await session.GetAsync("/account/register"), "register-form", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.DisplayName"] = "Ada Partner",
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
        });
        Assert.NotNull(registered.ByTestId("check-email"));
        Assert.Contains(Directory.EnumerateFiles(Path.Combine(factory.DataDirectory, "mail"), "*.json"),
            file => File.ReadAllText(file).Contains(email, StringComparison.Ordinal));

        var link = await session.LinkInNewestMailAsync(email, "Confirm your email address");
        var confirmed = await session.GetAsync(link);
        Assert.NotNull(confirmed.ByTestId("email-confirmed"));

        using var signIn = await SignInAsync(session, email, Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(AccountHome, signIn.Headers.Location!.OriginalString);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);

        var account = await session.FollowAsync(signIn);
        Assert.Equal(email, account.TextOf("signed-in-as"));
        Assert.Equal("Ada Partner", account.TextOf("display-name"));
        Assert.Equal(Roles.Partner, account.TextOf("roles"));
        Assert.Equal("Off", account.TextOf("two-factor-status"));
    }

    [Fact]
    public async Task Register_WithAnAddressThatHasAnAccount_ShowsTheSamePage_AndEmailsItsOwner()
    {
        var session = NewSession();
        var email = NewEmail();
        await CreateConfirmedPartnerAsync(email, Password);

        var page = await session.SubmitAsync(await session.GetAsync("/account/register"), "register-form", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.DisplayName"] = "Someone Else",
            ["Input.Password"] = "Another-Pass-9",
            ["Input.ConfirmPassword"] = "Another-Pass-9",
        });

        Assert.NotNull(page.ByTestId("check-email"));
        var link = await session.LinkInNewestMailAsync(email, "Someone tried to register");
        Assert.EndsWith("/account/login", link, StringComparison.Ordinal);
        using var signIn = await SignInAsync(NewSession(), email, Password);
        Assert.Equal(AccountHome, signIn.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Register_WithAWeakPassword_NamesEveryRuleItBreaks()
    {
        var session = NewSession();

        var page = await session.SubmitAsync(await session.GetAsync("/account/register"), "register-form", new Dictionary<string, string>
        {
            ["Input.Email"] = NewEmail(),
            ["Input.DisplayName"] = "Weak",
            ["Input.Password"] = "password",
            ["Input.ConfirmPassword"] = "password",
        });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("alert", page.ByTestId("errors")?.GetAttribute("role"));
        Assert.Contains("at least 10 characters", page.Errors, StringComparison.Ordinal);
        Assert.Contains("upper-case letter", page.Errors, StringComparison.Ordinal);
        Assert.Contains("digit", page.Errors, StringComparison.Ordinal);
        Assert.Contains("symbol", page.Errors, StringComparison.Ordinal);
        Assert.Null(page.ByTestId("check-email"));
    }

    [Fact]
    public async Task SignIn_BeforeTheEmailIsConfirmed_IsRefusedWithAConfirmationMessage()
    {
        var session = NewSession();
        var email = NewEmail();
        await session.SubmitAsync(await session.GetAsync("/account/register"), "register-form", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.DisplayName"] = "Not Yet",
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
        });

        using var rightPassword = await SignInAsync(session, email, Password);
        using var wrongPassword = await SignInAsync(session, email, "Wrong-Pass-123");

        Assert.Equal(HttpStatusCode.OK, rightPassword.StatusCode);
        var refused = await session.FollowAsync(rightPassword);
        Assert.Contains("Confirm your email address", refused.Errors, StringComparison.Ordinal);
        // Without the password, an unconfirmed account looks like any wrong sign-in.
        var wrong = await session.FollowAsync(wrongPassword);
        Assert.Contains("email address or password is not right", wrong.Errors, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await session.GetRawAsync(AccountHome)).StatusCode);
    }

    [Fact]
    public async Task SignIn_WithAWrongPasswordFiveTimes_LocksTheAccountEvenForTheRightPassword()
    {
        var session = NewSession();
        var email = NewEmail();
        await CreateConfirmedPartnerAsync(email, Password);

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var wrong = await SignInAsync(session, email, $"Wrong-Pass-{attempt}x");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        using var right = await SignInAsync(session, email, Password);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        var page = await session.FollowAsync(right);
        Assert.Contains("locked", page.Errors, StringComparison.Ordinal);
        Assert.Contains("15 minutes", page.Errors, StringComparison.Ordinal);
        using var account = await session.GetRawAsync(AccountHome);
        Assert.StartsWith("/account/login", account.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgotPassword_ThenReset_LetsThePartnerSignInWithTheNewPasswordOnly()
    {
        var session = NewSession();
        var email = NewEmail();
        await CreateConfirmedPartnerAsync(email, Password);

        var sent = await session.SubmitAsync(await session.GetAsync("/account/forgotpassword"), "forgot-form",
            new Dictionary<string, string> { ["Input.Email"] = email });
        Assert.NotNull(sent.ByTestId("check-email"));

        var resetPage = await session.GetAsync(await session.LinkInNewestMailAsync(email, "Reset your password"));
        var reset = await session.SubmitAsync(resetPage, "reset-form", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = "Brand-New-Pass-42",
            ["Input.ConfirmPassword"] = "Brand-New-Pass-42",
        });
        Assert.NotNull(reset.ByTestId("password-reset"));

        using var oldPassword = await SignInAsync(NewSession(), email, Password);
        using var newPassword = await SignInAsync(NewSession(), email, "Brand-New-Pass-42");
        Assert.Equal(HttpStatusCode.OK, oldPassword.StatusCode);
        Assert.Equal(AccountHome, newPassword.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task ForgotPassword_ForAnUnknownAddress_AnswersTheSame_AndSendsNothing()
    {
        var session = NewSession();
        var email = NewEmail();

        var sent = await session.SubmitAsync(await session.GetAsync("/account/forgotpassword"), "forgot-form",
            new Dictionary<string, string> { ["Input.Email"] = email });

        Assert.NotNull(sent.ByTestId("check-email"));
        var mail = await session.GetAsync("/dev/mail");
        Assert.DoesNotContain(email, mail.Document.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoFactor_AfterEnrolment_SignInNeedsTheCode_AndARecoveryCodeWorksOnce()
    {
        var session = NewSession();
        var email = NewEmail();
        await CreateConfirmedPartnerAsync(email, Password);
        await session.FollowAsync(await SignInAsync(session, email, Password));

        var enrol = await session.GetAsync(TwoFactorPath);
        Assert.StartsWith("data:image/png;base64,", enrol.ByTestId("qr-code")!.GetAttribute("src"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(enrol.ByTestId("qr-code")!.GetAttribute("alt")));
        var totp = new Totp(Base32Encoding.ToBytes(enrol.TextOf("shared-key").Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant()));

        var wrongEnrolment = await session.SubmitAsync(enrol, "enable-form", new Dictionary<string, string> { ["Code"] = FarAwayCode(totp) });
        Assert.Contains("not right", wrongEnrolment.Errors, StringComparison.Ordinal);
        var enabled = await session.SubmitAsync(wrongEnrolment, "enable-form", new Dictionary<string, string> { ["Code"] = totp.ComputeTotp() });
        var recoveryCodes = enabled.Document.QuerySelectorAll("[data-testid='recovery-codes'] li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(10, recoveryCodes.Count);
        Assert.NotNull(enabled.ByTestId("two-factor-on"));
        Assert.Null((await session.GetAsync(TwoFactorPath)).ByTestId("recovery-codes"));
        Assert.Equal("On", (await session.GetAsync(AccountHome)).TextOf("two-factor-status"));
        await SignOutAsync(session);

        using var password = await SignInAsync(session, email, Password);
        Assert.StartsWith("/account/loginwith2fa", password.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var codePage = await session.FollowAsync(password);
        Assert.Equal("one-time-code", codePage.ByTestId("code")!.GetAttribute("autocomplete"));
        Assert.Equal("numeric", codePage.ByTestId("code")!.GetAttribute("inputmode"));
        var wrongCode = await session.SubmitAsync(codePage, "two-factor-form", new Dictionary<string, string> { ["Input.Code"] = FarAwayCode(totp) });
        Assert.Contains("not right", wrongCode.Errors, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await session.GetRawAsync(AccountHome)).StatusCode);
        var signedIn = await session.SubmitAsync(wrongCode, "two-factor-form", new Dictionary<string, string> { ["Input.Code"] = totp.ComputeTotp() });
        Assert.Equal(email, signedIn.TextOf("signed-in-as"));
        await SignOutAsync(session);

        var recovered = await SignInWithRecoveryCodeAsync(session, email, recoveryCodes[0]);
        Assert.Equal(email, recovered.TextOf("signed-in-as"));
        await SignOutAsync(session);
        var reused = await SignInWithRecoveryCodeAsync(session, email, recoveryCodes[0]);
        Assert.Contains("used already", reused.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoFactor_NewRecoveryCodesOrTurningItOff_NeedACurrentCode_NotJustTheSession()
    {
        var session = NewSession();
        var email = NewEmail();
        await CreateConfirmedPartnerAsync(email, Password);
        await session.FollowAsync(await SignInAsync(session, email, Password));
        var enrol = await session.GetAsync(TwoFactorPath);
        var totp = new Totp(Base32Encoding.ToBytes(enrol.TextOf("shared-key").Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant()));
        await session.SubmitAsync(enrol, "enable-form", new Dictionary<string, string> { ["Code"] = totp.ComputeTotp() });
        var page = await session.GetAsync(TwoFactorPath);

        var refusedCodes = await session.SubmitAsync(page, "recovery-codes-form", new Dictionary<string, string> { ["Code"] = FarAwayCode(totp) });
        var refusedOff = await session.SubmitAsync(page, "disable-form", new Dictionary<string, string> { ["Code"] = "ABCDE-FGHIJ" });

        Assert.Contains("not right", refusedCodes.Errors, StringComparison.Ordinal);
        Assert.Null(refusedCodes.ByTestId("recovery-codes"));
        Assert.Contains("not right", refusedOff.Errors, StringComparison.Ordinal);
        Assert.NotNull(refusedOff.ByTestId("two-factor-on"));

        var newCodes = await session.SubmitAsync(page, "recovery-codes-form", new Dictionary<string, string> { ["Code"] = totp.ComputeTotp() });
        var codes = newCodes.Document.QuerySelectorAll("[data-testid='recovery-codes'] li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(10, codes.Count);
        var off = await session.SubmitAsync(newCodes, "disable-form", new Dictionary<string, string> { ["Code"] = codes[0] });
        Assert.Null(off.ByTestId("two-factor-on"));
        Assert.Equal("Off", (await session.GetAsync(AccountHome)).TextOf("two-factor-status"));
    }

    [Fact]
    public async Task Admin_WithoutTwoFactor_IsForcedToEnrolBeforeReachingAnyAccountPage()
    {
        var session = NewSession();

        using var signIn = await SignInAsync(session, DevelopmentSeed.AdminEmail, "Admin!2345");
        Assert.Equal(TwoFactorPath, signIn.Headers.Location?.OriginalString);

        using var account = await session.GetRawAsync(AccountHome);
        Assert.Equal(HttpStatusCode.Redirect, account.StatusCode);
        Assert.Equal(TwoFactorPath, account.Headers.Location?.OriginalString);
        var enrol = await session.FollowAsync(account);
        Assert.NotNull(enrol.ByTestId("two-factor-required"));

        var totp = new Totp(Base32Encoding.ToBytes(enrol.TextOf("shared-key").Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant()));
        var enabled = await session.SubmitAsync(enrol, "enable-form", new Dictionary<string, string> { ["Code"] = totp.ComputeTotp() });
        Assert.NotNull(enabled.ByTestId("two-factor-on"));
        Assert.Null(enabled.ByTestId("disable-form"));

        var home = await session.GetAsync(AccountHome);
        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Equal(Roles.Admin, home.TextOf("roles"));
    }

    [Theory]
    [InlineData("https://evil.example/phish", AccountHome)]
    [InlineData("//evil.example/phish", AccountHome)]
    [InlineData("http://localhost:5000@evil.example/", AccountHome)]
    [InlineData("/account/manage/twofactor", "/account/manage/twofactor")]
    [InlineData("http://localhost:5000/apps", "http://localhost:5000/apps")]
    public async Task SignIn_FollowsOnlyLocalOrAllowedReturnUrls(string returnUrl, string expected)
    {
        var session = NewSession();
        var email = NewEmail();
        await CreateConfirmedPartnerAsync(email, Password);

        using var signIn = await SignInAsync(session, email, Password, returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal(expected, signIn.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Account_WhenSignedOut_RedirectsToSignIn()
    {
        using var response = await NewSession().GetRawAsync(AccountHome);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task SignOut_WithoutTheAntiforgeryToken_IsRefused()
    {
        var session = NewSession();
        var email = NewEmail();
        await CreateConfirmedPartnerAsync(email, Password);
        await session.FollowAsync(await SignInAsync(session, email, Password));

        using var forged = await session.Client.PostAsync("/account/logout", new FormUrlEncodedContent([]), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.GetRawAsync(AccountHome)).StatusCode);
        await SignOutAsync(session);
        Assert.Equal(HttpStatusCode.Redirect, (await session.GetRawAsync(AccountHome)).StatusCode);
    }

    private HtmlSession NewSession() =>
        new(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    private static string NewEmail() => $"dev-{Guid.NewGuid():N}@wallet.example";

    /// <summary>A code for an hour from now: valid in form, never accepted now.</summary>
    private static string FarAwayCode(Totp totp) => totp.ComputeTotp(DateTime.UtcNow.AddHours(1));

    private async Task CreateConfirmedPartnerAsync(string email, string password)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Test Partner" };
        Assert.True((await users.CreateAsync(user, password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Partner)).Succeeded);
    }

    private static async Task<HttpResponseMessage> SignInAsync(HtmlSession session, string email, string password, string? returnUrl = null)
    {
        var url = returnUrl is null ? "/account/login" : "/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl);
        return await session.PostFormAsync(await session.GetAsync(url), "login-form", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
    }

    private static async Task SignOutAsync(HtmlSession session)
    {
        var signedOut = await session.SubmitAsync(await session.GetAsync("/account/logout"), "logout-form");
        Assert.NotNull(signedOut.ByTestId("signed-out"));
    }

    private static async Task<HtmlPage> SignInWithRecoveryCodeAsync(HtmlSession session, string email, string code)
    {
        var codePage = await session.FollowAsync(await SignInAsync(session, email, Password));
        var recoveryPage = await session.GetAsync(codePage.ByTestId("use-recovery-code")!.GetAttribute("href")!);
        return await session.SubmitAsync(recoveryPage, "recovery-form", new Dictionary<string, string> { ["Input.RecoveryCode"] = code });
    }
}
