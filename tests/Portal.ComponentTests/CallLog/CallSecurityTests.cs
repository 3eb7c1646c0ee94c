using System.Security.Cryptography;
using System.Text;
using Bunit;
using OpenBanking.Portal.Components.Shared;
using OpenBanking.Portal.Platform;
using OpenBanking.Portal.Reference;

namespace OpenBanking.Portal.ComponentTests.CallLog;

/// <summary>The call log's signing and DPoP facts: the outcome, the rule a refusal broke, and both headers decoded.</summary>
public sealed class CallSecurityTests : PortalTestContext
{
    private static readonly Uri Gateway = new("https://gateway.example/");

    [Fact]
    public void ASignedDpopBoundCall_ShowsTheKidAndThumbprint_AndBothHeadersDecoded()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var body = """{"Data":{},"Risk":{}}""";
        var signature = ObSigning.SignBody(Encoding.UTF8.GetBytes(body), rsa, "key-1", "org-1", "app_abc");
        var proof = ObSigning.DpopProof(ec, "POST", new Uri(Gateway, "open-banking/v3.1/pisp/domestic-payment-consents"), "token");
        var call = Call(201) with { Signed = true, SignatureKid = "key-1", DpopBound = true, DpopJkt = ObSigning.Thumbprint(ec) };

        var panel = Render<CallDetailPanel>(p => p.Add(c => c.Detail, Detail(call, body, new CallHeader("x-jws-signature", signature), new CallHeader("DPoP", proof)))
            .Add(c => c.GatewayUrl, Gateway));

        Assert.Contains("Verified, key key-1", panel.Find("[data-testid=call-detail-signed]").TextContent);
        Assert.Contains(ObSigning.Thumbprint(ec), panel.Find("[data-testid=call-detail-dpop]").TextContent);
        var jwsHeader = panel.Find("[data-testid=call-detail-jws-header]").TextContent;
        Assert.Contains("\"http://openbanking.org.uk/iss\": \"org-1/app_abc\"", jwsHeader);
        Assert.Contains("\"crit\": [", jwsHeader);
        Assert.Empty(panel.FindAll("[data-testid=call-detail-jws-claims]"));
        Assert.Contains("\"typ\": \"dpop+jwt\"", panel.Find("[data-testid=call-detail-dpop-proof-header]").TextContent);
        var claims = panel.Find("[data-testid=call-detail-dpop-proof-claims]").TextContent;
        Assert.Contains("\"htm\": \"POST\"", claims);
        Assert.Contains("\"ath\": ", claims);
    }

    [Fact]
    public void ARefusedCall_NamesTheRule_AndLinksToTheGuide_AndABrokenSignatureSaysWhyItCannotBeDecoded()
    {
        var call = Call(400) with { Signed = false, RefusalRule = "signature.invalid-claim:http://openbanking.org.uk/iss" };

        var panel = Render<CallDetailPanel>(p => p.Add(c => c.Detail, Detail(call, "{}", new CallHeader("x-jws-signature", "not-a-jws")))
            .Add(c => c.GatewayUrl, Gateway));

        Assert.Equal("Refused", panel.Find("[data-testid=call-detail-signed]").TextContent.Trim());
        Assert.Equal("signature.invalid-claim:http://openbanking.org.uk/iss", panel.Find("[data-testid=call-detail-refusal-rule]").TextContent);
        Assert.StartsWith("/guides/message-signing", panel.Find("[data-testid=call-detail-refusal-doc]").GetAttribute("href"), StringComparison.Ordinal);
        Assert.Contains("it has 1 part, not 3", panel.Find("[data-testid=call-detail-jws-problem]").TextContent);
    }

    [Theory]
    [InlineData("dpop.htu", "/guides/dpop")]
    [InlineData("signature.missing", "/guides/message-signing")]
    [InlineData("scope.missing", "/guides/gateway")]
    [InlineData("consent.revoked", "/guides/gateway")]
    public void EachRule_LinksToItsGuide_WhenTheGuideIsNotThere(string rule, string href)
        => Assert.Equal(href, CallSecurity.Href(rule, guides: null));

    [Fact]
    public void Decode_ReadsAnAttachedPayload_AndNamesWhatIsWrong()
    {
        var header = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"alg":"ES256"}""")).TrimEnd('=');
        var payload = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"htm":"GET"}""")).TrimEnd('=');

        Assert.Equal("{\n  \"htm\": \"GET\"\n}", CallSecurity.Decode($"{header}.{payload}.sig").Payload);
        Assert.Equal("the header is not base64url-encoded JSON", CallSecurity.Decode("!!.x.y").Problem);
        Assert.True(CallSecurity.Decode($"{header}..sig").Detached);
    }

    private static CallView Call(int status) => new(9, new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero), "app_abc", "POST",
        "/open-banking/v3.1/pisp/domestic-payment-consents", "/open-banking/v3.1/pisp/domestic-payment-consents", status, 4.1, "iid-1", null, 20, 30);

    private static CallDetail Detail(CallView call, string body, params CallHeader[] headers)
        => new(call, null, true, [new CallHeader("Content-Type", "application/json"), .. headers], [], new CallBody(body.Length, body, false, null),
            new CallBody(0, null, false, null), [], null);
}

/// <summary>The call log's Signed and DPoP cells.</summary>
public sealed class CallSecurityMarksTests : PortalTestContext
{
    private static readonly CallView Call = new(1, DateTimeOffset.UnixEpoch, "app_abc", "POST", null, "/open-banking/v3.1/pisp/domestic-payments", 201, 1, null, null, 0, 0);

    [Theory]
    [InlineData(true, "key-1", null, "✓Signed with the key key-1")]
    [InlineData(false, null, null, "—Not signed")]
    [InlineData(null, null, null, "—Not a signed endpoint")]
    [InlineData(false, null, "signature.missing", "✗Signature refused")]
    [InlineData(null, null, "dpop.htu", "—Not a signed endpoint")]
    public void Signed_ShowsTheKidOrWhyNot(bool? signed, string? kid, string? rule, string text)
    {
        var cell = Render<CallSecurityMarks>(p => p.Add(c => c.Call, Call with { Signed = signed, SignatureKid = kid, RefusalRule = rule }));

        Assert.Equal(text, Text(cell));
    }

    [Theory]
    [InlineData(true, null, "✓DPoP-bound")]
    [InlineData(false, null, "—Bearer token")]
    [InlineData(false, "dpop.replay", "✗DPoP proof refused")]
    public void Dpop_ShowsBoundBearerOrRefused(bool bound, string? rule, string text)
    {
        var cell = Render<CallSecurityMarks>(p => p.Add(c => c.Call, Call with { DpopBound = bound, RefusalRule = rule }).Add(c => c.Dpop, true));

        Assert.Equal(text, Text(cell));
    }

    private static string Text(IRenderedComponent<CallSecurityMarks> cell)
        => System.Text.RegularExpressions.Regex.Replace(string.Concat(cell.Nodes.Select(n => n.TextContent)), @"\s+", " ").Trim();
}
