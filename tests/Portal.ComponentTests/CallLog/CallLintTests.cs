using Bunit;
using OpenBanking.Portal.Components.Shared;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.ComponentTests.CallLog;

/// <summary>Spec lint and refusal reasons in the call log: the detail's sections, the row's mark and the 7-day top problems.</summary>
public sealed class CallLintTests : PortalTestContext
{
    private static readonly Uri Gateway = new("https://gateway.example/");
    private static readonly DateTimeOffset At = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static CallView Call(int status, int? problems, string? rule = null)
        => new(9, At, "demo-wallet", "POST", "/open-banking/v4.0/pisp/domestic-payment-consents", "/open-banking/v4.0/pisp/domestic-payment-consents",
            status, 4.1, "iid-1", null, 120, 80, "v4.0", RefusalRule: rule, ConsentId: "sdp-1", ProblemCount: problems);

    private static CallDetail Detail(CallView call, IReadOnlyList<CallProblem>? problems = null, string? reason = null, string[]? codes = null, string? message = null)
        => new(call, null, true, [], [], new CallBody(120, "{}", false, null), new CallBody(80, "{}", false, null), codes ?? [], message, problems, reason);

    [Fact]
    public void TheDetail_ListsEachSpecProblem_WithDirectionPathRuleMessageAndSeverity()
    {
        var detail = Detail(Call(201, 2),
        [
            new("request", "schema.pattern", "Data.Initiation.InstructedAmount.Amount",
                "`Data.Initiation.InstructedAmount.Amount` does not match `^\\d{1,13}$|^\\d{1,13}\\.\\d{1,5}$` (sent \"12.345678\")"),
            new("request", "header.missing", "x-fapi-interaction-id", "The request has no x-fapi-interaction-id header.", "warning"),
        ]);

        var panel = Render<CallDetailPanel>(p => p.Add(c => c.Detail, detail).Add(c => c.GatewayUrl, Gateway));

        Assert.Equal(["Data.Initiation.InstructedAmount.Amount", "x-fapi-interaction-id"], panel.FindAll("[data-testid=call-problem-path]").Select(e => e.TextContent));
        Assert.Equal(["schema.pattern", "header.missing"], panel.FindAll("[data-testid=call-problem-rule]").Select(e => e.TextContent));
        Assert.Equal(["error", "warning"], panel.FindAll("[data-testid=call-problem-severity]").Select(e => e.TextContent.Trim()));
        Assert.Contains("(sent \"12.345678\")", panel.FindAll("[data-testid=call-problem-message]")[0].TextContent);
        Assert.Equal("1 error and 1 warning against the OBIE specification v4.0.", panel.Find("[data-testid=call-detail-problems-summary]").TextContent);
        Assert.Empty(panel.FindAll("[data-testid=call-detail-why-heading]"));
    }

    [Theory]
    [InlineData(null, "Not linted")]
    [InlineData(0, "None: the request and the response match")]
    public void WithoutProblems_TheDetailSaysWhetherTheCallWasLinted(int? count, string expected)
    {
        var panel = Render<CallDetailPanel>(p => p.Add(c => c.Detail, Detail(Call(201, count))).Add(c => c.GatewayUrl, Gateway));

        Assert.StartsWith(expected, panel.Find("[data-testid=call-detail-problems-none]").TextContent.Trim());
    }

    [Fact]
    public void ARefusedCall_SaysWhyInWords_WithTheRuleItsOwnerAndTheBanksError()
    {
        var detail = Detail(Call(403, 0, "consent.revoked"), reason: "Consent aac-1 was revoked by the customer at 2026-12-02T09:00:00Z; ask the customer to authorise a new consent.",
            codes: ["U028"], message: "The consent is not authorised.");

        var panel = Render<CallDetailPanel>(p => p.Add(c => c.Detail, detail).Add(c => c.GatewayUrl, Gateway));

        Assert.Equal("Why it was refused", panel.Find("[data-testid=call-detail-why-heading]").TextContent);
        Assert.StartsWith("Consent aac-1 was revoked by the customer", panel.Find("[data-testid=call-detail-refusal-reason]").TextContent);
        Assert.Equal("consent.revoked", panel.Find("[data-testid=call-detail-why-rule]").TextContent);
        Assert.Contains("the bank's consent check", panel.Find("[data-testid=call-detail-error]").TextContent);
        Assert.Equal("U028", panel.Find("[data-testid=call-detail-error-code]").TextContent);
        Assert.StartsWith("/guides/gateway", panel.Find("[data-testid=call-detail-refusal-doc]").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "not linted")]
    [InlineData(0, "spec OK")]
    [InlineData(1, "1 spec problem")]
    [InlineData(3, "3 spec problems")]
    public void TheRowMark_ReadsInWords(int? count, string expected)
        => Assert.Equal(expected, CallSecurity.LintText(count));

    [Fact]
    public void TopProblems_ListCountsRulesPathsAndTheExample_AndOpenTheExampleCall()
    {
        long? opened = null;
        var problems = new[]
        {
            new ProblemSummary("schema.pattern", "Data.Initiation.InstructedAmount.Amount", "POST", "/open-banking/v4.0/pisp/domestic-payment-consents", "v4.0", 1234,
                At, 77, "`Data.Initiation.InstructedAmount.Amount` does not match `^\\d{1,13}$|^\\d{1,13}\\.\\d{1,5}$`"),
            new ProblemSummary("header.missing", "x-fapi-interaction-id", "GET", "/open-banking/v3.1/aisp/accounts", "v3.1.11", 3, At.AddHours(-1), 12, "No x-fapi-interaction-id."),
        };

        var top = Render<TopProblems>(p => p.Add(c => c.Items, problems).Add(c => c.OnOpenCall, (long id) => opened = id));

        Assert.Equal(["1,234×", "3×"], top.FindAll("[data-testid=top-problem-count]").Select(e => e.TextContent.Trim()));
        Assert.Equal(["schema.pattern", "header.missing"], top.FindAll("[data-testid=top-problem-rule]").Select(e => e.TextContent));
        top.FindAll("[data-testid=top-problem-example]")[0].Click();
        Assert.Equal(77, opened);
    }

    [Fact]
    public void TopProblems_SayInWordsWhenThereAreNone_OrWhenTheSummaryFailed()
    {
        var empty = Render<TopProblems>(p => p.Add(c => c.Items, Array.Empty<ProblemSummary>()));
        var failed = Render<TopProblems>(p => p.Add(c => c.Items, Array.Empty<ProblemSummary>()).Add(c => c.Error, "The spec-lint summary could not be loaded."));

        Assert.StartsWith("No spec problems in the last 7 days", empty.Find("[data-testid=top-problems-empty]").TextContent.Trim());
        Assert.Equal("The spec-lint summary could not be loaded.", failed.Find("[data-testid=top-problems-error]").TextContent.Trim());
    }
}
