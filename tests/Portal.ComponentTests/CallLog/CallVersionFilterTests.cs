using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.ComponentTests.CallLog;

/// <summary>The call log's version filter, as the path prefix the gateway is asked for.</summary>
public sealed class CallVersionFilterTests
{
    [Theory]
    [InlineData("", null, null)]
    [InlineData("", " /open-banking/v3.1/aisp ", "/open-banking/v3.1/aisp")]
    [InlineData("v4.0", null, "/open-banking/v4.0/")]
    [InlineData("v3.1.11", "", "/open-banking/v3.1/")]
    [InlineData("v4.0", "/open-banking/v4.0/pisp/domestic-payments", "/open-banking/v4.0/pisp/domestic-payments")]
    [InlineData("v4.0", "/open-banking/v4.0", "/open-banking/v4.0")]
    public void AVersion_IsItsBasePath_NarrowedByAnEndpointOfTheSameVersion(string version, string? path, string? expected)
    {
        var (sent, problem) = CallVersionFilter.Apply(version, path);

        Assert.Equal(expected, sent);
        Assert.Null(problem);
    }

    [Fact]
    public void AnEndpointOfTheOtherVersion_IsRefusedInWords_AndNothingIsAsked()
    {
        var (sent, problem) = CallVersionFilter.Apply("v4.0", "/open-banking/v3.1/aisp/accounts");

        Assert.Null(sent);
        Assert.Equal("The endpoint /open-banking/v3.1/aisp/accounts is not a v4.0 path: v4.0 endpoints start with /open-banking/v4.0/. "
                     + "Change the endpoint or set API version to Any.", problem);
    }

    [Fact]
    public async Task TheGatewayIsAskedForTheVersion_ByItsOwnFilterToo()
    {
        var handler = new CapturingHandler();
        var client = new GatewayCallsClient(new HttpClient(handler) { BaseAddress = new Uri("http://gateway/") });

        await client.ListAsync(new CallFilter(Guid.Empty, Path: "/open-banking/v4.0/", ApiVersion: "v4.0"), 1, 25, Xunit.TestContext.Current.CancellationToken);

        var query = handler.Uri!.Query;
        Assert.Contains("apiVersion=v4.0", query, StringComparison.Ordinal);
        Assert.Contains("path=%2Fopen-banking%2Fv4.0%2F", query, StringComparison.Ordinal);
    }

    private sealed class CapturingHandler : HttpMessageHandler
    {
        public Uri? Uri { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Uri = request.RequestUri;
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = new StringContent("""{"items":[],"page":1,"pageSize":25,"total":0}""", System.Text.Encoding.UTF8, "application/json"),
            });
        }
    }
}
