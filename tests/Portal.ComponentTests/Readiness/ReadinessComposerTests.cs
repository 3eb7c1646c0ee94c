using OpenBanking.Portal.Partners;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.ComponentTests.Readiness;

/// <summary>
/// The readiness report: the gateway's checks as they come, Identity's token refresh, the Sandbox's event deliveries, the
/// app's own settings, the coverage matrix and the verdict in words — and every source that fails named, not hidden.
/// </summary>
public sealed class ReadinessComposerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Since = Now.AddDays(-30);

    public static GatewayReadiness Gateway(string status = ReadinessStatus.Passed, params (string Id, string Status)[] overrides)
    {
        var checks = ReadinessComposer.GatewayChecks.Select(c =>
        {
            var s = overrides.FirstOrDefault(o => o.Id == c.Id).Status ?? status;
            return new ReadinessCheck(c.Id, c.Title, s, $"{c.Title}: {s}", s == ReadinessStatus.NotExercised ? [] : [new ReadinessEvidence(41, Now.AddHours(-1), "a call")]);
        }).ToList();
        return new GatewayReadiness(Now, Since,
        [
            new OperationCoverage("aisp", "v3.1.11", "GET", "/open-banking/v3.1/aisp/accounts", 3, 3, Now.AddHours(-2)),
            new OperationCoverage("aisp", "v4.0", "GET", "/open-banking/v4.0/aisp/accounts", 0, 0, null),
            new OperationCoverage("aisp", "v3.1.11", "POST", "/open-banking/v3.1/aisp/account-access-consents", 1, 1, Now.AddHours(-3)),
            new OperationCoverage("aisp", "v4.0", "POST", "/open-banking/v4.0/aisp/account-access-consents", 1, 1, Now.AddHours(-3)),
            new OperationCoverage("pisp", "v4.0", "POST", "/open-banking/v4.0/pisp/domestic-payments", 0, 0, null),
        ], checks);
    }

    public static TokenActivity Tokens(int refreshes = 2) => new(3, Now.AddHours(-5), refreshes, refreshes > 0 ? Now.AddHours(-4) : null, 0, null);

    public static EventNotificationSummary Event(long id, string state, DateTimeOffset? created = null, bool isTest = false, DateTimeOffset? acknowledged = null)
        => new(id, $"jti-{id}", "urn:uk:org:openbanking:events:resource-update", "domestic-payment", $"dp-{id}", "AcceptedSettlementCompleted", state, isTest,
            state == "Failed" ? 12 : 1, null, created ?? Now.AddMinutes(-30), state == "Failed" ? 500 : 202, state == "Failed" ? "Answered 500." : null,
            "https://wallet.example/hooks", "create", created ?? Now.AddMinutes(-30), created ?? Now.AddMinutes(-30), Now.AddDays(7), acknowledged);

    private static ReadinessInputs Inputs(
        GatewayReadiness? gateway = null, TokenActivity? tokens = null, IReadOnlyList<EventNotificationSummary>? events = null,
        bool signed = false, bool dpop = false, bool gatewayFails = false, bool identityFails = false, bool sandboxFails = false)
        => new("demo-wallet", "Demo wallet", signed, dpop, Now, Since,
            gatewayFails ? null : gateway ?? Gateway(), gatewayFails ? "it could not be reached" : null,
            identityFails ? null : tokens ?? Tokens(), identityFails ? "it could not be reached" : null,
            sandboxFails ? null : events ?? [Event(1, "Delivered")], sandboxFails ? "it could not be reached" : null);

    [Fact]
    public void AnAppThatDidEverythingRight_IsReady()
    {
        var report = ReadinessComposer.Compose(Inputs(signed: true, dpop: true));

        Assert.Equal(ReadinessLevel.Ready, report.Level);
        Assert.StartsWith("Ready: every check passed", report.Verdict);
        Assert.All(report.Checks, c => Assert.Equal(ReadinessStatus.Passed, c.Status));
        Assert.Equal(
            ["consent-refusal-handled", "rate-limit-respected", "idempotent-retry", "server-error-backoff", "signed-requests", "dpop", "interaction-id", "token-refresh", "events-acknowledged"],
            report.Checks.Select(c => c.Id));
        Assert.Empty(report.SourceProblems);
    }

    [Fact]
    public void AnAppThatIgnores429_IsNotReady_AndTheVerdictNamesTheCheck()
    {
        var report = ReadinessComposer.Compose(Inputs(Gateway(ReadinessStatus.Passed, ("rate-limit-respected", ReadinessStatus.Failed))));

        Assert.Equal(ReadinessLevel.NotReady, report.Level);
        Assert.Equal("Not ready: 1 check failed (429 Retry-After respected). Fix it in the sandbox; the report follows your traffic.", report.Verdict);
        Assert.Equal(["rate-limit-respected"], report.Failed.Select(c => c.Id));
    }

    [Fact]
    public void RequiredSigningWithoutEvidence_Fails_AndUnrequiredDpopWithoutEvidence_IsNotRequired()
    {
        var report = ReadinessComposer.Compose(Inputs(
            Gateway(ReadinessStatus.Passed, ("signed-requests", ReadinessStatus.NotExercised), ("dpop", ReadinessStatus.NotExercised)), signed: true, dpop: false));

        var signed = report.Checks.Single(c => c.Id == "signed-requests");
        Assert.Equal(ReadinessStatus.Failed, signed.Status);
        Assert.StartsWith("The app requires signed requests, but none were seen", signed.Detail);
        Assert.Equal(ReadinessStatus.NotRequired, report.Checks.Single(c => c.Id == "dpop").Status);
        Assert.Equal(ReadinessLevel.NotReady, report.Level);
    }

    [Fact]
    public void NoRefreshGrant_IsNotExercised_WithTheCodeExchangeAsEvidence()
    {
        var report = ReadinessComposer.Compose(Inputs(tokens: Tokens(refreshes: 0)));

        var check = report.Checks.Single(c => c.Id == "token-refresh");
        Assert.Equal(ReadinessStatus.NotExercised, check.Status);
        Assert.Contains("3 authorization codes exchanged, but no refresh-token grant", check.Detail);
        Assert.Equal(Now.AddHours(-5), Assert.Single(check.Evidence).At);
        Assert.Equal(ReadinessLevel.Incomplete, report.Level);
        Assert.Contains("Token refresh", report.Verdict);
    }

    [Fact]
    public void AFailedDelivery_OrOneLeftUnacknowledgedForAnHour_FailsTheEventsCheck_TestEventsDoNotCount()
    {
        var failed = ReadinessComposer.Compose(Inputs(events: [Event(1, "Delivered"), Event(2, "Failed")]));
        var stale = ReadinessComposer.Compose(Inputs(events: [Event(3, "PollingOnly", created: Now.AddHours(-2))]));
        var fresh = ReadinessComposer.Compose(Inputs(events: [Event(4, "PollingOnly", created: Now.AddMinutes(-5))]));
        var onlyTests = ReadinessComposer.Compose(Inputs(events: [Event(5, "Failed", isTest: true)]));

        var check = failed.Checks.Single(c => c.Id == "events-acknowledged");
        Assert.Equal(ReadinessStatus.Failed, check.Status);
        Assert.StartsWith("1 notification of 2 left failing", check.Detail);
        Assert.Contains("delivery failed after 12 attempts (Answered 500.)", check.Evidence[0].What);
        Assert.Equal(ReadinessStatus.Failed, stale.Checks.Single(c => c.Id == "events-acknowledged").Status);
        Assert.Equal(ReadinessStatus.NotExercised, fresh.Checks.Single(c => c.Id == "events-acknowledged").Status);
        Assert.Equal(ReadinessStatus.NotExercised, onlyTests.Checks.Single(c => c.Id == "events-acknowledged").Status);
    }

    [Fact]
    public void SourcesThatFail_AreNamed_AndTheirChecksAreUnavailable_NeverPassed()
    {
        var report = ReadinessComposer.Compose(Inputs(gatewayFails: true, identityFails: true, sandboxFails: true));

        Assert.Equal(3, report.SourceProblems.Count);
        Assert.Contains(report.SourceProblems, p => p.StartsWith("The gateway's call log did not answer (it could not be reached)", StringComparison.Ordinal));
        Assert.All(report.Checks.Where(c => c.Id is not "signed-requests" and not "dpop"), c => Assert.Equal(ReadinessStatus.Unavailable, c.Status));
        Assert.Empty(report.Coverage);
        Assert.Equal(ReadinessLevel.Incomplete, report.Level);
        Assert.Contains("Some sources did not answer", report.Verdict);
    }

    [Fact]
    public void Coverage_LinesUpBothVersionsOfAnOperation_AndCountsPerApiAndVersion()
    {
        var report = ReadinessComposer.Compose(Inputs());

        var accounts = report.Coverage.Single(r => r.Route == "/aisp/accounts");
        Assert.Equal(["v3.1.11", "v4.0"], accounts.ByVersion.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, accounts.ByVersion["v3.1.11"].Calls);
        Assert.Equal(0, accounts.ByVersion["v4.0"].Calls);
        Assert.Equal(
            [("aisp", "v3.1.11", 2, 2), ("aisp", "v4.0", 1, 2), ("pisp", "v4.0", 0, 1)],
            report.CoverageByApi.Select(c => (c.Api, c.Version, c.Exercised, c.Total)));
    }

    [Theory]
    [InlineData("/open-banking/v4.0/pisp/domestic-payments/{DomesticPaymentId}", "v4.0", "/pisp/domestic-payments/{DomesticPaymentId}")]
    [InlineData("/open-banking/v3.1/aisp/accounts", "v3.1.11", "/aisp/accounts")]
    [InlineData("/events", "v4.0", "/events")]
    public void TheVersionSegment_IsRemoved(string route, string version, string expected)
        => Assert.Equal(expected, ReadinessComposer.WithoutVersion(route, version));
}
