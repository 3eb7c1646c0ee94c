using OpenBanking.Gateway.Readiness;

namespace OpenBanking.Gateway.FunctionalTests.Readiness;

/// <summary>The readiness checks as pure rules over call rows.</summary>
public sealed class ReadinessEvaluatorTests
{
    private const string Route = "/open-banking/v3.1/aisp/accounts";
    private const string Consents = "/open-banking/v3.1/pisp/domestic-payment-consents";
    private static readonly DateTime Start = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);
    private long _id;

    private ReadinessCall Call(double atSeconds, int status, string method = "GET", string route = Route, string? consentId = null,
        string? rule = null, string? errorCode = null, string? key = null, int? retryAfter = null, bool? signed = null, bool dpop = false,
        bool? interactionId = true)
        => new(++_id, Start.AddSeconds(atSeconds), method, route, status, errorCode, rule, consentId, key, retryAfter, signed, dpop, interactionId);

    [Fact]
    public void RateLimit_WaitedOut_Passes()
    {
        var check = ReadinessEvaluator.RateLimitRespected([Call(0, 429, retryAfter: 2), Call(2.5, 200)]);
        Assert.Equal(ReadinessEvaluator.Passed, check.Status);
        Assert.Equal(2, check.Evidence.Count);
    }

    [Fact]
    public void RateLimit_RetriedAtOnce_Fails()
    {
        var check = ReadinessEvaluator.RateLimitRespected([Call(0, 429, retryAfter: 2), Call(0.2, 429, retryAfter: 2), Call(0.3, 200, route: "/other")]);
        Assert.Equal(ReadinessEvaluator.Failed, check.Status);
        Assert.Contains("only 0.2 s", check.Detail);
    }

    [Fact]
    public void RateLimit_TheLatestEpisodeDecides()
    {
        Assert.Equal(ReadinessEvaluator.Passed, ReadinessEvaluator.RateLimitRespected(
            [Call(0, 429, retryAfter: 2), Call(0.1, 200), Call(100, 429, retryAfter: 2), Call(103, 200)]).Status);
    }

    [Fact]
    public void RateLimit_WithoutA429_IsNotExercised()
        => Assert.Equal(ReadinessEvaluator.NotExercised, ReadinessEvaluator.RateLimitRespected([Call(0, 200)]).Status);

    [Fact]
    public void ConsentRefusal_OneMoreCall_Passes_ThreeMore_Fails()
    {
        var refused = Call(0, 400, consentId: "pdc-1", errorCode: "UK.OBIE.Resource.InvalidConsentStatus");
        Assert.Equal(ReadinessEvaluator.Passed, ReadinessEvaluator.ConsentRefusalHandled([refused, Call(1, 200, consentId: "pdc-1")]).Status);
        var revoked = Call(10, 403, consentId: "aac-2", rule: "consent.revoked");
        var check = ReadinessEvaluator.ConsentRefusalHandled(
            [revoked, Call(11, 403, consentId: "aac-2", rule: "consent.revoked"), Call(12, 403, consentId: "aac-2"), Call(13, 403, consentId: "aac-2")]);
        Assert.Equal(ReadinessEvaluator.Failed, check.Status);
        Assert.Equal(revoked.Id, check.Evidence[0].CallId);
        Assert.Equal(ReadinessEvaluator.NotExercised, ReadinessEvaluator.ConsentRefusalHandled([Call(0, 200, consentId: "aac-3")]).Status);
    }

    [Fact]
    public void IdempotentRetry_SameKeySameResource_Passes_NewKeyAfterA500_Fails()
    {
        var passed = ReadinessEvaluator.IdempotentRetry(
            [Call(0, 500, "POST", Consents, key: "k1"), Call(2, 201, "POST", Consents, consentId: "pdc-1", key: "k1"), Call(3, 201, "POST", Consents, consentId: "pdc-1", key: "k1")]);
        Assert.Equal(ReadinessEvaluator.Passed, passed.Status);

        var failed = ReadinessEvaluator.IdempotentRetry([Call(0, 500, "POST", Consents, key: "k1"), Call(2, 201, "POST", Consents, consentId: "pdc-2", key: "k2")]);
        Assert.Equal(ReadinessEvaluator.Failed, failed.Status);
        Assert.Equal(ReadinessEvaluator.NotExercised, ReadinessEvaluator.IdempotentRetry([Call(0, 201, "POST", Consents, key: "k3")]).Status);
    }

    [Fact]
    public void ServerErrorBackoff_GrowingWaits_Pass_ABurst_Fails_AShrinkingWait_Fails()
    {
        Assert.Equal(ReadinessEvaluator.Passed, ReadinessEvaluator.ServerErrorBackoff(
            [Call(0, 500), Call(1, 500), Call(3, 500), Call(7, 200)]).Status);
        var burst = ReadinessEvaluator.ServerErrorBackoff([Call(0, 500), Call(0.1, 500), Call(0.2, 500), Call(0.3, 500)]);
        Assert.Equal(ReadinessEvaluator.Failed, burst.Status);
        Assert.Contains("3 times within a second", burst.Detail);
        Assert.Equal(ReadinessEvaluator.Failed, ReadinessEvaluator.ServerErrorBackoff([Call(0, 500), Call(4, 500), Call(5.5, 200)]).Status);
        // A 503's Retry-After is the least wait.
        Assert.Equal(ReadinessEvaluator.Failed, ReadinessEvaluator.ServerErrorBackoff([Call(0, 503, retryAfter: 2), Call(1.5, 200)]).Status);
        Assert.Equal(ReadinessEvaluator.NotExercised, ReadinessEvaluator.ServerErrorBackoff([Call(0, 200)]).Status);
    }

    [Fact]
    public void SignedRequests_AndDpop_FollowTheLatestEvidence()
    {
        Assert.Equal(ReadinessEvaluator.Passed, ReadinessEvaluator.SignedRequests([Call(0, 201, "POST", Consents, signed: true)]).Status);
        Assert.Equal(ReadinessEvaluator.Failed, ReadinessEvaluator.SignedRequests(
            [Call(0, 201, "POST", Consents, signed: true), Call(1, 400, "POST", Consents, signed: false, rule: "signature.invalid")]).Status);
        Assert.Equal(ReadinessEvaluator.NotRequired, ReadinessEvaluator.SignedRequests([Call(0, 201, "POST", Consents, signed: false)]).Status);
        Assert.Equal(ReadinessEvaluator.NotExercised, ReadinessEvaluator.SignedRequests([Call(0, 200)]).Status);

        Assert.Equal(ReadinessEvaluator.NotRequired, ReadinessEvaluator.Dpop([Call(0, 200)]).Status);
        Assert.Equal(ReadinessEvaluator.Passed, ReadinessEvaluator.Dpop([Call(0, 401, rule: "dpop.ath"), Call(1, 200, dpop: true)]).Status);
        Assert.Equal(ReadinessEvaluator.Failed, ReadinessEvaluator.Dpop([Call(0, 200, dpop: true), Call(1, 401, rule: "dpop.replay")]).Status);
    }

    [Fact]
    public void InteractionId_NeedsNinetyFivePercent()
    {
        var calls = Enumerable.Range(0, 20).Select(i => Call(i, 200, interactionId: i != 0)).ToList();
        Assert.Equal(ReadinessEvaluator.Passed, ReadinessEvaluator.InteractionId(calls).Status);
        calls.Add(Call(30, 200, interactionId: false));
        var failed = ReadinessEvaluator.InteractionId(calls);
        Assert.Equal(ReadinessEvaluator.Failed, failed.Status);
        Assert.Equal(2, failed.Evidence.Count);
        Assert.Equal(ReadinessEvaluator.NotExercised, ReadinessEvaluator.InteractionId([Call(0, 200, interactionId: null)]).Status);
    }

    [Fact]
    public void Evaluate_GivesEveryCheck_ByItsId()
        => Assert.Equal(
            ["consent-refusal-handled", "rate-limit-respected", "idempotent-retry", "server-error-backoff", "signed-requests", "dpop", "interaction-id"],
            ReadinessEvaluator.Evaluate([]).Select(c => c.Id));
}
