using System.Net;
using System.Text;
using Bunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Portal.Components.Pages.Reference;
using OpenBanking.Portal.Reference;

namespace OpenBanking.Portal.ComponentTests.Reference;

/// <summary>Try-it shows a response as the server sent it: no re-serialising, the status line and headers too.</summary>
public sealed class ExchangeViewTests : PortalTestContext
{
    // Compact, with characters a serialiser would escape (+, <, é) and an escape it would rewrite (\u00e9).
    private const string Body = """{"Data":{"ConsentId":"urn-consent-1","CreationDateTime":"2026-12-02T10:00:00+00:00","Note":"<b>caf\u00e9</b> é"},"Risk":{}}""";

    public ExchangeViewTests()
    {
        Services.AddSingleton(TimeProvider.System);
        Services.AddScoped<ConsoleSession>();
        Services.AddScoped<ApiConsole>();
        Services.AddScoped<ConsoleAccess>();
        Services.AddSingleton(_ => new ConsoleRateLimiter(new ConfigurationBuilder().Build()));
        Services.AddSingleton<IHttpClientFactory>(new StubFactory());
        Authorization.SetAuthorized("Dev");
        Authorization.SetClaims(new System.Security.Claims.Claim("sub", "developer-1"));
        RenderInteractively();
        Render<MudBlazor.MudPopoverProvider>();
    }

    [Fact]
    public async Task TheResponseBody_IsByteIdenticalToWhatTheServerSent_AndIndentingChangesOnlyWhitespace()
    {
        var exchange = await Services.GetRequiredService<ApiConsole>().CallGatewayAsync(
            "GET", "/open-banking/v3.1/aisp/account-access-consents/urn-consent-1", "token", null, null, Xunit.TestContext.Current.CancellationToken);
        Assert.Equal(Body, exchange.ResponseBody);

        var view = Render<ExchangeView>(p => p.Add(x => x.Exchange, exchange));

        var indented = view.Find("[data-testid=exchange-response]").TextContent;
        Assert.StartsWith("HTTP/1.1 200 OK\n", indented, StringComparison.Ordinal);
        Assert.Contains("x-fapi-interaction-id: ia-1\n", indented, StringComparison.Ordinal);
        Assert.Contains("\"CreationDateTime\": \"2026-12-02T10:00:00+00:00\"", indented, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u002B", indented, StringComparison.Ordinal);
        var indentedBody = indented[(indented.IndexOf("\n\n", StringComparison.Ordinal) + 2)..];
        Assert.Equal(Body, Unindent(indentedBody));

        var indent = view.Find("[data-testid=exchange-indent]");
        (indent.TagName == "INPUT" ? indent : indent.QuerySelector("input")!).Change(false);

        var raw = view.Find("[data-testid=exchange-response]").TextContent;
        Assert.EndsWith("\n\n" + Body, raw, StringComparison.Ordinal);
        Assert.Contains("exactly as the server sent it", view.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdsInTheResponse_AndTheInteractionId_EachHaveACopyButton()
    {
        var exchange = await Services.GetRequiredService<ApiConsole>().CallGatewayAsync(
            "GET", "/open-banking/v3.1/aisp/account-access-consents/urn-consent-1", "token", null, null, Xunit.TestContext.Current.CancellationToken);

        var view = Render<ExchangeView>(p => p.Add(x => x.Exchange, exchange));

        Assert.Equal("urn-consent-1", view.Find("[data-testid=exchange-id-ConsentId]").TextContent);
        Assert.Equal("Copy ConsentId", view.Find("button[data-testid=copy-ConsentId]").GetAttribute("aria-label"));
        Assert.Equal("Copy interaction ID", view.Find("button[data-testid=copy-interaction-id]").GetAttribute("aria-label"));

        view.Find("button[data-testid=copy-ConsentId]").Click();

        Assert.Equal("urn-consent-1", JSInterop.VerifyInvoke("portal.copy").Arguments.Single());
        view.WaitForAssertion(() => Assert.Equal("ConsentId copied", view.Find("[data-testid=copy-ConsentId-status]").TextContent));
    }

    [Theory]
    [InlineData("{}", "{}")]
    [InlineData("""{"a":[1,{"b":"x, y: {z}"}],"c":[]}""", "{\n  \"a\": [\n    1,\n    {\n      \"b\": \"x, y: {z}\"\n    }\n  ],\n  \"c\": []\n}")]
    [InlineData("""{"q":"say \"hi\", \\"}""", "{\n  \"q\": \"say \\\"hi\\\", \\\\\"\n}")]
    public void JsonLayout_AddsOnlyWhitespace_OutsideStrings(string json, string expected)
        => Assert.Equal(expected, JsonLayout.Indent(json));

    /// <summary>The indented text with the whitespace outside strings removed again.</summary>
    private static string Unindent(string text)
    {
        var output = new StringBuilder();
        bool inString = false, escaped = false;
        foreach (var c in text)
        {
            if (inString)
            {
                output.Append(c);
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (c is ' ' or '\n')
            {
                continue;
            }

            output.Append(c);
            inString = c == '"';
        }

        return output.ToString();
    }

    private sealed class StubFactory : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(new Gateway(), disposeHandler: true) { BaseAddress = new Uri("http://gateway") };
    }

    private sealed class Gateway : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
            response.Headers.Add("x-fapi-interaction-id", "ia-1");
            return Task.FromResult(response);
        }
    }
}
