extern alias sandbox;

using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Identity.Customers;
using OpenBanking.Identity.Pages.Customer;
using OpenBanking.TestKit;
using SandboxDb = sandbox::OpenBanking.Sandbox.Infrastructure.SandboxDbContext;
using TenantService = sandbox::OpenBanking.Sandbox.Tenancy.TenantService;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>
/// The test customers' sign-in page as anyone on the internet can reach it: it never makes the Sandbox create a
/// tenant, and its lockout counts only real customers, one tenant at a time.
/// </summary>
public sealed class CustomerSignInTests(ConsentJourneyFixture platform) : IClassFixture<ConsentJourneyFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("3f2b0c1e-9d7a-4c5b-8e6f-1a2b3c4d5e6f")]
    [InlineData("not-a-guid")]
    [InlineData("org-a")]
    public async Task SignIn_WithAnUnknownOrMalformedOrganisation_AnswersAsAWrongPasswordAndCreatesNoTenant(string organisationId)
    {
        var (status, html) = await SignInAsync(organisationId, "alice", "sandbox");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(SignInModel.WrongCredentialsMessage, html);
        using var scope = platform.Sandbox.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SandboxDb>();
        Assert.False(await db.Tenants.AnyAsync(t => t.OrganisationId == organisationId, _ct));
    }

    [Fact]
    public async Task SignIn_WithUnknownUsernamesOrOrganisations_AddsNothingToTheLockoutStore()
    {
        var throttle = platform.Identity.Services.GetRequiredService<SignInThrottle>();
        var before = throttle.Count;

        for (var i = 0; i < 3; i++)
        {
            await SignInAsync(Shared.DevelopmentSeed.DemoOrganisationId, $"nobody-{Guid.NewGuid():N}", "sandbox");
            await SignInAsync(Guid.NewGuid().ToString(), "alice", "wrong");
        }

        Assert.Equal(before, throttle.Count);
    }

    [Fact]
    public async Task SignIn_LockoutOfATestCustomer_HoldsWhateverTheCaseOfTheOrganisationId_AndOnlyInThatTenant()
    {
        var otherOrganisation = Guid.NewGuid().ToString();
        using (var scope = platform.Sandbox.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<TenantService>().GetOrCreateAsync(otherOrganisation, _ct);
        }

        for (var i = 0; i < SignInThrottle.MaxFailures; i++)
        {
            var (_, wrong) = await SignInAsync(Shared.DevelopmentSeed.DemoOrganisationId.ToUpperInvariant(), "bob", "wrong");
            Assert.Contains(SignInModel.WrongCredentialsMessage, wrong);
        }

        var (lockedStatus, locked) = await SignInAsync(Shared.DevelopmentSeed.DemoOrganisationId, "bob", "sandbox");
        var (otherStatus, _) = await SignInAsync(otherOrganisation, "bob", "sandbox");

        Assert.Equal(HttpStatusCode.OK, lockedStatus);
        Assert.Contains(SignInModel.LockedOutMessage, locked);
        Assert.Equal(HttpStatusCode.Redirect, otherStatus);
    }

    /// <summary>The sign-in form as a browser posts it; the status and the page (or the redirect's target).</summary>
    private async Task<(HttpStatusCode Status, string Html)> SignInAsync(string organisationId, string username, string password)
    {
        using var browser = platform.Identity.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await browser.GetStringAsync("/customer/sign-in", _ct);
        using var response = await browser.PostAsync("/customer/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Org"] = organisationId,
            ["Username"] = username,
            ["Password"] = password,
            ["__RequestVerificationToken"] = Wallet.AntiforgeryToken(page),
        }), _ct);
        return (response.StatusCode, response.StatusCode == HttpStatusCode.Redirect
            ? response.Headers.Location!.OriginalString
            : await response.Content.ReadAsStringAsync(_ct));
    }
}
