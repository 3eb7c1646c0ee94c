using System.Net;
using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>Account emails: a file drop and /dev/mail in Development, a real SMTP server everywhere else.</summary>
public sealed class MailTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task MailPage_OutsideDevelopment_IsNotFound()
    {
        using var factory = new ProductionIdentityFactory();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/dev/mail", _ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("Identity:Smtp:Host")]
    [InlineData("Identity:Smtp:From")]
    public void Startup_OutsideDevelopment_WithoutAnSmtpSetting_FailsNamingIt(string setting)
    {
        using var factory = new ProductionIdentityFactory();
        factory.WithSetting(setting, "");

        var error = Assert.ThrowsAny<Exception>(() => factory.Server);

        Assert.Contains($"{setting} is not set", error.ToString());
    }

    [Fact]
    public async Task Register_OutsideDevelopment_SendsTheConfirmationThroughSmtp_AndWritesNoFile()
    {
        await using var smtp = new SmtpSink();
        using var factory = new ProductionIdentityFactory();
        factory.WithSetting("Identity:Smtp:Port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var session = new HtmlSession(factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        var email = $"smtp-{Guid.NewGuid():N}@wallet.example";

        var registered = await session.SubmitAsync(await session.GetAsync("/account/register"), "register-form", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.DisplayName"] = "Smtp Partner",
            ["Input.Password"] = "Correct-Horse-7",
            ["Input.ConfirmPassword"] = "Correct-Horse-7",
        });

        Assert.NotNull(registered.ByTestId("check-email"));
        var message = await smtp.NextMessageAsync(_ct);
        Assert.Contains($"To: {email}", message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("From: Open Banking <no-reply@bank.example>", message);
        Assert.Contains("Subject: Confirm your email address", message);
        Assert.False(Directory.Exists(Path.Combine(factory.DataDirectory, "mail")));
    }
}
