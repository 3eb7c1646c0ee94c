using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using OpenBanking.Portal.Components.Shared;
using OpenBanking.Portal.Partners;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.ComponentTests.Partners;

/// <summary>The app page's Security tab: the two requirements, the message-signing keys, adding and removing keys.</summary>
public sealed class AppSecurityPanelTests : PortalTestContext
{
    private readonly FakeSecurity _security = new();
    private readonly IRenderedComponent<MudDialogProvider> _dialogs;

    public AppSecurityPanelTests()
    {
        Services.AddSingleton<IAppSecurity>(_security);
        RenderInteractively();
        Render<MudPopoverProvider>();
        Render<MudSnackbarProvider>();
        _dialogs = Render<MudDialogProvider>();
    }

    private static IdentityClient Client(bool signed = true, bool dpop = false, params string[] kids)
        => new("app_abc", "Wallet", "org-1", "Org", ["https://wallet.example/cb"], ["openid", "payments"], "client_secret_basic", false, false, null,
            signed, dpop, [.. kids.Select(k => new SigningKey(k, "RSA", "PS256", 2048, "thumb-" + k))], kids.Length == 0 ? null : new DateTimeOffset(2026, 12, 3, 9, 30, 0, TimeSpan.Zero));

    private IRenderedComponent<AppSecurityPanel> RenderPanel(IdentityClient client, bool canManage = true)
        => Render<AppSecurityPanel>(p => p.Add(x => x.ClientId, "app_abc").Add(x => x.Client, client).Add(x => x.CanManage, canManage));

    [Fact]
    public void TheKeys_AreListedWithKidTypeSizeAndThumbprint_AndEachRequirementIsExplained()
    {
        var panel = RenderPanel(Client(true, false, "key-1", "key-2"));

        Assert.Equal(["key-1", "key-2"], panel.FindAll("[data-testid=security-key-kid]").Select(k => k.TextContent));
        var first = panel.Find("[data-testid=security-keys] tbody tr").TextContent;
        Assert.Contains("RSA · PS256", first);
        Assert.Contains("2048 bits", first);
        Assert.Contains("thumb-key-1", first);
        Assert.Contains("2026-12-03 09:30", panel.Find("[data-testid=security-keys-updated]").TextContent);
        Assert.Contains("is refused", panel.Find("[data-testid=security-require-signed-help]").TextContent);
        Assert.Contains("refuses token requests without a DPoP proof", panel.Find("[data-testid=security-require-dpop-help]").TextContent);
        Assert.True(InputOf(panel.Find("[data-testid=security-require-signed]")).HasAttribute("checked"));
        Assert.False(InputOf(panel.Find("[data-testid=security-require-dpop]")).HasAttribute("checked"));
    }

    [Fact]
    public void NoKeysWhileSigningIsRequired_SaysPaymentCallsAreRefusedUntilOneIsAdded()
    {
        var panel = RenderPanel(Client(signed: true));

        Assert.Contains("refused until you add one", panel.Find("[data-testid=security-keys-empty]").TextContent);
    }

    [Fact]
    public void SwitchingDpopOn_AsksForThatChangeOnly_AndShowsIdentitysAnswer()
    {
        var panel = RenderPanel(Client());
        _security.Answer = Client(true, true);

        InputOf(panel.Find("[data-testid=security-require-dpop]")).Change(true);

        panel.WaitForAssertion(() => Assert.Equal([(null, true)], _security.Requirements));
        panel.WaitForAssertion(() => Assert.True(InputOf(panel.Find("[data-testid=security-require-dpop]")).HasAttribute("checked")));
    }

    [Fact]
    public void AddingKeys_SendsThePastedSet_AndEveryRefusalIsShownAtOnce()
    {
        var panel = RenderPanel(Client(true, false, "key-1"));
        _security.Refusal = new PortalValidationException(new Dictionary<string, string[]>
        {
            ["messageSigningJwks.keys[0]"] = ["Key 1 ('key-1'): Its modulus must have 2048 to 8192 bits; it has 1024."],
            ["messageSigningJwks.keys[1]"] = ["Key 2: It needs a 'kid': your signatures name the key by it."],
        });
        InputOf(panel.Find("[data-testid=security-jwks]")).Change("""{"keys":[{"kty":"RSA"}]}""");

        panel.Find("[data-testid=security-add-keys]").Click();

        panel.WaitForAssertion(() => Assert.Contains("it has 1024", panel.Find("[data-testid=form-errors]").TextContent));
        Assert.Contains("It needs a 'kid'", panel.Find("[data-testid=form-errors]").TextContent);
        Assert.Equal(["""{"keys":[{"kty":"RSA"}]}"""], _security.Added);
    }

    [Fact]
    public void RemovingAKey_AsksFirst_ThenSendsTheRemoval()
    {
        var panel = RenderPanel(Client(true, false, "key-1", "key-2"));
        _security.Answer = Client(true, false, "key-2");

        panel.FindAll("[data-testid=security-key-remove]")[0].Click();
        _dialogs.WaitForAssertion(() => Assert.Contains("Remove this signing key?", _dialogs.Markup));
        Assert.Empty(_security.Removed);
        _dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Remove key").Click();

        panel.WaitForAssertion(() => Assert.Equal(["key-1"], _security.Removed));
        panel.WaitForAssertion(() => Assert.Equal(["key-2"], panel.FindAll("[data-testid=security-key-kid]").Select(k => k.TextContent)));
    }

    [Fact]
    public void AViewer_SeesTheSettingsAndKeys_ButCannotChangeThem()
    {
        var panel = RenderPanel(Client(true, false, "key-1"), canManage: false);

        Assert.True(InputOf(panel.Find("[data-testid=security-require-signed]")).HasAttribute("disabled"));
        Assert.True(InputOf(panel.Find("[data-testid=security-require-dpop]")).HasAttribute("disabled"));
        Assert.Empty(panel.FindAll("[data-testid=security-add-keys]"));
        Assert.Empty(panel.FindAll("[data-testid=security-key-remove]"));
        Assert.Single(panel.FindAll("[data-testid=security-key-kid]"));
    }

    [Fact]
    public void APastedSet_IsCheckedForWhatThePortalCanSee_EveryProblemAtOnce()
    {
        var (keys, problems) = AppService.ParseSigningKeys("""
            {"keys":[
              {"kty":"RSA","n":"AQAB","e":"AQAB"},
              {"kty":"RSA","kid":"a","n":"AQAB","e":"AQAB","d":"secret","p":"x"},
              {"kty":"RSA","kid":"a","n":"AQAB","e":"AQAB"}
            ]}
            """);

        Assert.Equal(3, keys.Count);
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("Key 1 has no kid", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("private parts (d, p)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("'a' appears twice", StringComparison.Ordinal));
        Assert.Equal(["The text is not JSON: paste the key set as {\"keys\":[...]}."], AppService.ParseSigningKeys("{keys").Problems);
        Assert.Equal(["The JSON is not a JWK set: it needs a \"keys\" array, {\"keys\":[...]}."], AppService.ParseSigningKeys("""{"kty":"RSA"}""").Problems);
    }

    private static AngleSharp.Dom.IElement InputOf(AngleSharp.Dom.IElement element)
        => element.TagName is "INPUT" or "TEXTAREA" ? element : element.QuerySelector("input, textarea")!;

    private sealed class FakeSecurity : IAppSecurity
    {
        public IdentityClient? Answer { get; set; }
        public PortalRefusalException? Refusal { get; set; }
        public List<(bool?, bool?)> Requirements { get; } = [];
        public List<string?> Added { get; } = [];
        public List<string> Removed { get; } = [];

        public Task<IdentityClient?> FindAsync(string clientId, CancellationToken ct = default) => Task.FromResult(Answer);

        public Task<IdentityClient> SetRequirementsAsync(string clientId, bool? requireSignedRequests, bool? requireDpop, CancellationToken ct = default)
        {
            Requirements.Add((requireSignedRequests, requireDpop));
            return Reply();
        }

        public Task<IdentityClient> AddSigningKeysAsync(string clientId, string? jwks, CancellationToken ct = default)
        {
            Added.Add(jwks);
            return Reply();
        }

        public Task<IdentityClient> RemoveSigningKeyAsync(string clientId, string kid, CancellationToken ct = default)
        {
            Removed.Add(kid);
            return Reply();
        }

        private Task<IdentityClient> Reply() => Refusal is not null ? Task.FromException<IdentityClient>(Refusal) : Task.FromResult(Answer!);
    }
}
