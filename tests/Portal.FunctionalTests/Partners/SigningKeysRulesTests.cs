using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OpenBanking.Portal.Admin;
using OpenBanking.Portal.Infrastructure;
using OpenBanking.Portal.Partners;
using OpenBanking.Portal.Platform;
using OpenBanking.Shared;
using OpenBanking.TestKit;

namespace OpenBanking.Portal.FunctionalTests.Partners;

/// <summary>
/// An app's message-signing keys and requirements through the Portal's service, on its real SQLite database, against a
/// fake Identity that keeps the app's key set: keys are merged on add, the set is sent without the key on removal,
/// duplicate kids and private keys are refused before Identity is asked, and every change is audited.
/// </summary>
public sealed class SigningKeysRulesTests(ServiceFactory<Program> factory) : IClassFixture<ServiceFactory<Program>>
{
    private static readonly PortalActor Admin = new("admin-subject", DevelopmentSeed.AdminEmail, "Bank Admin", IsAdmin: true);
    private readonly FakeIdentity _identity = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddingKeys_MergesWithTheAppsSet_ADuplicateKidIsRefusedFirst_AndRemovingSendsTheSetWithoutIt()
    {
        var (apps, clientId) = await NewAppAsync();
        Assert.True(_identity.Created!["requireSignedRequests"]!.GetValue<bool>());

        await apps.AddSigningKeysAsync(clientId, Set("key-1"), Ct);
        var client = await apps.AddSigningKeysAsync(clientId, Set("key-2"), Ct);

        Assert.Equal(["key-1", "key-2"], client.SigningKeys.Select(k => k.Kid));
        var patches = _identity.Patches.Count;
        var duplicate = await Assert.ThrowsAsync<PortalValidationException>(() => apps.AddSigningKeysAsync(clientId, Set("key-2"), Ct));
        Assert.Contains("'key-2' is already registered", duplicate.Message, StringComparison.Ordinal);
        var secret = await Assert.ThrowsAsync<PortalValidationException>(() => apps.AddSigningKeysAsync(clientId, """{"keys":[{"kty":"RSA","kid":"key-3","n":"AQAB","e":"AQAB","d":"AQAB"}]}""", Ct));
        Assert.Contains("private parts (d)", secret.Message, StringComparison.Ordinal);
        Assert.Equal(patches, _identity.Patches.Count);

        client = await apps.RemoveSigningKeyAsync(clientId, "key-1", Ct);

        Assert.Equal(["key-2"], client.SigningKeys.Select(k => k.Kid));
        Assert.Equal(["key-2"], _identity.Keys.Select(k => k["kid"]!.GetValue<string>()));
        await using var scope = factory.Services.CreateAsyncScope();
        var audit = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AuditEntries
            .Where(a => a.EntityId == clientId && a.Action == AuditActions.AppSigningKeysChanged).CountAsync(Ct);
        Assert.Equal(3, audit);
    }

    [Fact]
    public async Task SwitchingARequirement_PatchesThatFlagOnly()
    {
        var (apps, clientId) = await NewAppAsync();

        var client = await apps.SetRequirementsAsync(clientId, null, true, Ct);

        Assert.True(client.RequireDpop);
        var patch = _identity.Patches[^1];
        Assert.True(patch["requireDpop"]!.GetValue<bool>());
        Assert.Null(patch["requireSignedRequests"]);
        Assert.Null(patch["messageSigningJwks"]);
        Assert.Null(patch["name"]);
    }

    private static string Set(string kid) => $$"""{"keys":[{"kty":"RSA","kid":"{{kid}}","use":"sig","alg":"PS256","n":"AQAB","e":"AQAB"}]}""";

    private async Task<(AppService Apps, string ClientId)> NewAppAsync()
    {
        var owner = new PortalActor(Guid.NewGuid().ToString("N"), $"owner-{Guid.NewGuid():N}@wallet.example", "Owner", IsAdmin: false);
        var services = Services(owner);
        var organisation = await services.Organisations.RegisterAsync(new OrganisationForm
        {
            LegalName = "Signing Wallet " + Guid.NewGuid().ToString("N")[..6], RegistrationNumber = "01234567", Country = "GB",
            Website = "https://wallet.example", ContactName = "Contact", ContactEmail = "contact@wallet.example", AccountInformation = true,
            Description = "A wallet that signs its payment requests.",
        }, Ct);
        await Services(Admin).Admin.ApproveAsync(organisation.Id, organisation.LegalName, Ct);
        var (app, _) = await services.Apps.CreateAsync(new AppForm { Name = "Signer", RedirectUris = "https://wallet.example/callback" }, Ct);
        return (services.Apps, app.ClientId);
    }

    private (OrganisationService Organisations, AppService Apps, AdminService Admin) Services(PortalActor actor)
    {
        _ = factory.Server;
        var dbFactory = factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        var current = new CurrentPartner(new FixedUser(actor), dbFactory);
        var identity = new IdentityClientsClient(new HttpClient(_identity) { BaseAddress = new Uri("http://identity/") });
        var unreachable = new GatewayCallsClient(new HttpClient(new HttpClientHandler()) { BaseAddress = new Uri("http://unreachable/") });
        return (new OrganisationService(current, dbFactory, TimeProvider.System),
            new AppService(current, dbFactory, identity, TimeProvider.System, NullLogger<AppService>.Instance),
            new AdminService(current, dbFactory, identity, unreachable, TimeProvider.System));
    }

    private sealed class FixedUser(PortalActor actor) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync()
        {
            Claim[] claims =
            [
                new("sub", actor.UserId), new("email", actor.Email), new("name", actor.Name),
                .. actor.IsAdmin ? new[] { new Claim("role", PortalActor.AdminRole) } : [],
            ];
            return Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity(claims, "test", "name", "role"))));
        }
    }

    /// <summary>Identity's client API as far as these rules use it: one app, its flags and its public key set.</summary>
    private sealed class FakeIdentity : HttpMessageHandler
    {
        private string _clientId = "";
        private string _organisationId = "";
        private bool _signed;
        private bool _dpop;

        public JsonObject? Created { get; private set; }
        public List<JsonObject> Patches { get; } = [];
        public List<JsonObject> Keys { get; private set; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            if (request.Method == HttpMethod.Get && path == $"/internal/users/{Admin.UserId}")
            {
                return Answer(new UserStatus(Admin.UserId, true, [PortalActor.AdminRole]));
            }

            if (request.Method == HttpMethod.Post && path == "/internal/clients")
            {
                Created = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsObject();
                _clientId = "app_" + Guid.NewGuid().ToString("N")[..10];
                _organisationId = Created["organisationId"]!.GetValue<string>();
                _signed = Created["requireSignedRequests"]?.GetValue<bool>() ?? true;
                return Answer(new CreatedClient(_clientId, "secret", Client()), HttpStatusCode.Created);
            }

            if (path == $"/internal/clients/{_clientId}/security")
            {
                return Answer(new AppSecurityProfile(_clientId, _organisationId, _signed, _dpop,
                    JsonSerializer.SerializeToElement(new JsonObject { ["keys"] = new JsonArray([.. Keys.Select(k => k.DeepClone())]) }), null));
            }

            if (path == $"/internal/clients/{_clientId}" && request.Method == HttpMethod.Get)
            {
                return Answer(Client());
            }

            if (path == $"/internal/clients/{_clientId}" && request.Method == HttpMethod.Patch)
            {
                var patch = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!.AsObject();
                Patches.Add(patch);
                _signed = patch["requireSignedRequests"]?.GetValue<bool>() ?? _signed;
                _dpop = patch["requireDpop"]?.GetValue<bool>() ?? _dpop;
                if (patch["messageSigningJwks"] is JsonObject set)
                {
                    Keys = [.. set["keys"]!.AsArray().Select(k => k!.AsObject())];
                }

                return Answer(Client());
            }

            throw new InvalidOperationException($"Unexpected call {request.Method} {request.RequestUri}.");
        }

        private IdentityClient Client() => new(_clientId, "Signer", _organisationId, "Org", ["https://wallet.example/callback"], ["openid"], "client_secret_basic",
            false, false, DateTimeOffset.UtcNow, _signed, _dpop, [.. Keys.Select(k => new SigningKey(k["kid"]!.GetValue<string>(), "RSA", "PS256", 2048, "t"))]);

        private static HttpResponseMessage Answer<T>(T value, HttpStatusCode status = HttpStatusCode.OK) => new(status) { Content = JsonContent.Create(value) };
    }
}
