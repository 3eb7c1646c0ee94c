using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using OpenBanking.TestKit;

namespace OpenBanking.Portal.FunctionalTests.Authentication;

/// <summary>
/// <c>/account/sign-in?returnUrl=</c> keeps the return address only when it is a path on the Portal: whatever
/// a browser could read as another host (<c>//</c>, <c>/\</c>, control characters it strips) becomes home.
/// </summary>
public sealed class SignInReturnUrlTests(SignInReturnUrlTests.ChallengeEchoFactory factory) : IClassFixture<SignInReturnUrlTests.ChallengeEchoFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/%09/evil.example")]
    [InlineData("/%0a/evil.example")]
    [InlineData("/%0d/evil.example")]
    [InlineData("/%00/evil.example")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("/%5Cevil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("%2F%09%2Fevil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("evil.example")]
    public async Task SignIn_WithAReturnUrlOffThePortal_ReturnsHomeAfterSignIn(string returnUrl)
    {
        Assert.Equal("/", await RedirectAfterSignInAsync(returnUrl));
    }

    [Theory]
    [InlineData("/apps", "/apps")]
    [InlineData("%2Fapps%2Fdemo-wallet%3Ftab%3D2", "/apps/demo-wallet?tab=2")]
    [InlineData("", "/")]
    public async Task SignIn_WithAPathOnThePortal_ReturnsThereAfterSignIn(string returnUrl, string expected)
    {
        Assert.Equal(expected, await RedirectAfterSignInAsync(returnUrl));
    }

    /// <summary>What the challenge would bring the user back to after sign-in.</summary>
    private async Task<string> RedirectAfterSignInAsync(string returnUrl)
    {
        using var client = factory.CreateClient();
        return await client.GetStringAsync("/account/sign-in?returnUrl=" + returnUrl, Ct);
    }

    /// <summary>The Portal whose OpenID Connect challenge, instead of leaving for Identity, answers with the address it keeps for afterwards.</summary>
    public sealed class ChallengeEchoFactory : ServiceFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
                services.PostConfigure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, options =>
                {
                    options.Configuration = new OpenIdConnectConfiguration { AuthorizationEndpoint = "https://identity.test/connect/authorize" };
                    options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(options.Configuration);
                    options.PushedAuthorizationBehavior = PushedAuthorizationBehavior.Disable;
                    options.Events.OnRedirectToIdentityProvider = async context =>
                    {
                        context.HandleResponse();
                        context.Response.StatusCode = StatusCodes.Status200OK;
                        await context.Response.WriteAsync(context.Properties.RedirectUri ?? "", context.HttpContext.RequestAborted);
                    };
                }));
        }
    }
}
