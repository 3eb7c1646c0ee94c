using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Identity.Infrastructure;
using OpenBanking.TestKit;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>The fast path for client-credentials tokens must never weaken client authentication.</summary>
public sealed class SecretCacheTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task WrongSecret_RightAfterTheRightOne_IsStillRefused()
    {
        await CreateClientAsync("cache-a", "first-secret-0123456789");
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(client, "cache-a", "first-secret-0123456789"));
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync(client, "cache-a", "first-secret-012345678X"));
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(client, "cache-a", "first-secret-0123456789"));
    }

    [Fact]
    public async Task RotatedSecret_OldOneIsRefusedAtOnce_NewOneWorks()
    {
        await CreateClientAsync("cache-b", "old-secret-0123456789");
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(client, "cache-b", "old-secret-0123456789"));

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            var application = await applications.FindByClientIdAsync("cache-b", _ct);
            await applications.UpdateAsync(application!, "new-secret-0123456789", _ct);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync(client, "cache-b", "old-secret-0123456789"));
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(client, "cache-b", "new-secret-0123456789"));
    }

    [Fact]
    public async Task ClientCredentialsAccessTokens_AreNotStored()
    {
        await CreateClientAsync("cache-c", "stateless-secret-0123456789");
        using var client = factory.CreateClient();
        var before = await CountTokensAsync();

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync(client, "cache-c", "stateless-secret-0123456789"));
        }

        Assert.Equal(before, await CountTokensAsync());
    }

    private async Task CreateClientAsync(string clientId, string secret)
    {
        _ = factory.Server;
        await using var scope = factory.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await applications.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials, Permissions.Prefixes.Scope + "accounts" },
        }, _ct);
    }

    private async Task<HttpStatusCode> TokenStatusAsync(HttpClient client, string clientId, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "accounts" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        using var response = await client.SendAsync(request, _ct);
        return response.StatusCode;
    }

    private async Task<int> CountTokensAsync()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IdentityDbContext>().Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreToken>().CountAsync(_ct);
    }
}
