using Bunit;
using OpenBanking.Portal.Components.Shared;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.ComponentTests.CallLog;

/// <summary>The call-log detail: what a partner needs to debug a call, shown as the gateway kept it.</summary>
public sealed class CallDetailPanelTests : PortalTestContext
{
    private static readonly Uri Gateway = new("https://gateway.example/");

    [Fact]
    public void ARefusedCall_ShowsItsErrorCodeAndMessage_HeadersAndBodies_WithTheTextAsSent()
    {
        const string requestBody = """{"Data":{"Permissions":[],"ExpirationDateTime":"2099-01-01T00:00:00+00:00"},"Risk":{}}""";
        const string responseBody = """{"Code":"400 BadRequest","Errors":[{"ErrorCode":"UK.OBIE.Field.Missing","Message":"Permissions must name at least one permission.","Path":"Data.Permissions"}]}""";
        var detail = Detail(400, "POST", requestBody, responseBody, ["UK.OBIE.Field.Missing"], "Permissions must name at least one permission.");

        var panel = Render<CallDetailPanel>(p => p.Add(c => c.Detail, detail).Add(c => c.GatewayUrl, Gateway));

        Assert.Equal("UK.OBIE.Field.Missing", panel.Find("[data-testid=call-detail-error-code]").TextContent);
        Assert.Equal("Permissions must name at least one permission.", panel.Find("[data-testid=call-detail-error-message]").TextContent);
        Assert.Equal("0f0e7a4c-3a38-4f3c-9a69-000000000001", panel.Find("[data-testid=call-detail-interaction-id]").TextContent);
        Assert.Contains("POST /open-banking/v3.1/aisp/account-access-consents", panel.Find("[data-testid=call-detail-request-line]").TextContent);
        var headers = panel.Find("[data-testid=call-detail-request-headers]").TextContent;
        Assert.Contains("x-idempotency-key: key-1", headers);
        Assert.Contains("Authorization: Bearer …abc123 (token not stored)", headers);
        Assert.Contains("Content-Type: application/json", panel.Find("[data-testid=call-detail-response-headers]").TextContent);

        // Indented for reading, but every character as sent: "+00:00", not "\u002B00:00".
        var shown = panel.Find("[data-testid=call-detail-request-body]").TextContent;
        Assert.Contains("\"ExpirationDateTime\": \"2099-01-01T00:00:00+00:00\"", shown);
        Assert.DoesNotContain("\\u002B", shown);
        Assert.Contains("\n    \"Permissions\": [],", shown);
        Assert.Equal(requestBody, Compact(shown));
        Assert.Equal(responseBody, Compact(panel.Find("[data-testid=call-detail-response-body]").TextContent));
        Assert.Equal("(86 B)", panel.Find("[data-testid=call-detail-request-size]").TextContent);
    }

    [Fact]
    public void AGetWithoutABody_SaysNoBody_NotZeroBytes()
    {
        var detail = Detail(200, "GET", null, """{"Data":{}}""", [], null);

        var panel = Render<CallDetailPanel>(p => p.Add(c => c.Detail, detail).Add(c => c.GatewayUrl, Gateway));

        Assert.Equal("(no body)", panel.Find("[data-testid=call-detail-request-size]").TextContent);
        Assert.Empty(panel.FindAll("[data-testid=call-detail-request-body]"));
        Assert.DoesNotContain("0 B", panel.Markup);
        Assert.Empty(panel.FindAll("[data-testid=call-detail-error]"));
    }

    [Fact]
    public void A401FromTheBearerChallenge_SaysWhy()
    {
        var detail = Detail(401, "GET", null, null, ["invalid_token"], "The access token was refused: it is expired, revoked or malformed.");

        var panel = Render<CallDetailPanel>(p => p.Add(c => c.Detail, detail).Add(c => c.GatewayUrl, Gateway));

        Assert.Equal("invalid_token", panel.Find("[data-testid=call-detail-error-code]").TextContent);
        Assert.Contains("expired, revoked", panel.Find("[data-testid=call-detail-error-message]").TextContent);
        Assert.Equal("(no body)", panel.Find("[data-testid=call-detail-response-size]").TextContent);
    }

    [Fact]
    public void ATruncatedBody_SaysHowMuchIsShownOfHowMuch()
    {
        var text = new string('x', 16 * 1024);
        var detail = Detail(200, "GET", null, text, [], null) with
        {
            ResponseBody = new CallBody(40_000, text, true, null),
        };

        var panel = Render<CallDetailPanel>(p => p.Add(c => c.Detail, detail).Add(c => c.GatewayUrl, Gateway));

        Assert.Contains("the first 16 KiB of 40,000 bytes in all", panel.Find("[data-testid=call-detail-response-truncated]").TextContent);
    }

    [Fact]
    public void CopyAsCurl_ReplacesTheTokenWithAVariable_AndKeepsTheBodyAsSent()
    {
        var detail = Detail(201, "POST", """{"Note":"it's +00:00"}""", null, [], null);

        var curl = CallDetailText.Curl(detail, Gateway);

        Assert.StartsWith("curl -X POST 'https://gateway.example/open-banking/v3.1/aisp/account-access-consents'", curl);
        Assert.Contains("-H \"Authorization: Bearer $ACCESS_TOKEN\"", curl);
        Assert.DoesNotContain("abc123", curl);
        Assert.DoesNotContain("x-fapi-interaction-id", curl);
        Assert.Contains("-H 'x-idempotency-key: key-1'", curl);
        Assert.EndsWith("--data-raw '{\"Note\":\"it'\\''s +00:00\"}'", curl);
    }

    [Fact]
    public void Pretty_KeepsEscapesAndStringsUnchanged_AndLeavesNonJsonAlone()
    {
        Assert.Equal("{\n  \"a\": \"x\\u002By, {[,:]}\",\n  \"b\": {}\n}", CallDetailText.Pretty("""{"a":"x\u002By, {[,:]}","b":{}}"""));
        Assert.Equal("not json {", CallDetailText.Pretty("not json {"));
    }

    [Fact]
    public void TheApiVersion_IsAChip_WhenTheGatewayNamesIt_AndAbsentWhenItDoesNot()
    {
        var detail = Detail(200, "GET", null, "{}", [], null);
        var v4 = detail with { Call = detail.Call with { Path = "/open-banking/v4.0/aisp/accounts", ApiVersion = "v4.0" } };

        var named = Render<CallDetailPanel>(p => p.Add(c => c.Detail, v4).Add(c => c.GatewayUrl, Gateway));
        var unnamed = Render<CallDetailPanel>(p => p.Add(c => c.Detail, detail).Add(c => c.GatewayUrl, Gateway));

        Assert.Equal("v4.0", named.Find("[data-testid=call-detail-version]").TextContent.Trim());
        Assert.Empty(unnamed.FindAll("[data-testid=call-detail-version]"));
    }

    [Fact]
    public void ACallLoggedBeforeVersions_ReadsWithoutTheField()
    {
        var call = System.Text.Json.JsonSerializer.Deserialize<CallView>(
            """{"id":1,"timestamp":"2026-12-02T10:00:00+00:00","method":"GET","path":"/open-banking/v3.1/aisp/accounts","statusCode":200,"durationMs":1.5,"requestBytes":0,"responseBytes":2}""",
            System.Text.Json.JsonSerializerOptions.Web)!;
        var named = System.Text.Json.JsonSerializer.Deserialize<CallView>(
            """{"id":2,"timestamp":"2026-12-02T10:00:00+00:00","method":"GET","path":"/open-banking/v4.0/aisp/accounts","statusCode":200,"durationMs":1.5,"requestBytes":0,"responseBytes":2,"apiVersion":"v4.0"}""",
            System.Text.Json.JsonSerializerOptions.Web)!;

        Assert.Null(call.ApiVersion);
        Assert.Equal("v4.0", named.ApiVersion);
    }

    private static string Compact(string pretty)
        => string.Concat(pretty.Split('\n').Select(l => l.TrimStart())).Replace("\": ", "\":", StringComparison.Ordinal);

    private static CallDetail Detail(int status, string method, string? requestBody, string? responseBody, string[] codes, string? message)
    {
        var call = new CallView(7, new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero), "demo-wallet", method,
            "/open-banking/v3.1/aisp/account-access-consents", "/open-banking/v3.1/aisp/account-access-consents", status, 3.2,
            "0f0e7a4c-3a38-4f3c-9a69-000000000001", codes.FirstOrDefault(), requestBody?.Length ?? 0, responseBody?.Length ?? 0);
        return new CallDetail(call, null, true,
            [
                new CallHeader("Authorization", "Bearer …abc123 (token not stored)"),
                new CallHeader("x-fapi-interaction-id", "0f0e7a4c-3a38-4f3c-9a69-000000000001"),
                new CallHeader("x-idempotency-key", "key-1"),
                new CallHeader("Host", "gateway.example"),
            ],
            [new CallHeader("Content-Type", "application/json; charset=utf-8")],
            new CallBody(requestBody?.Length ?? 0, requestBody, false, null),
            new CallBody(responseBody?.Length ?? 0, responseBody, false, null),
            codes, message);
    }
}
