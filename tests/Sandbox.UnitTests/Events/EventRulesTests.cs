using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Events;
using OpenBanking.Sandbox.Events.Dispatch;

namespace OpenBanking.Sandbox.UnitTests.Events;

/// <summary>Which changes make which events, and where a SET points: the dispatcher's rules.</summary>
public sealed class EventRulesTests
{
    private const string Base = "https://api.bank.example";

    [Theory]
    [InlineData(OutboxResource.DomesticPayment, OutboxChange.StatusChanged, "AcceptedSettlementCompleted", false, new[] { EventTypes.ResourceUpdate })]
    [InlineData(OutboxResource.PaymentExecution, OutboxChange.StatusChanged, "Pending", false, new[] { EventTypes.ResourceUpdate })]
    [InlineData(OutboxResource.DomesticVrpConsent, OutboxChange.StatusChanged, "Revoked", false, new[] { EventTypes.ResourceUpdate, EventTypes.ConsentAuthorizationRevoked })]
    [InlineData(OutboxResource.AccountAccessConsent, OutboxChange.StatusChanged, "Revoked", true, new[] { EventTypes.ResourceUpdate })]
    [InlineData(OutboxResource.AccountAccessConsent, OutboxChange.AccessRevoked, "Authorised", false, new[] { EventTypes.ConsentAuthorizationRevoked })]
    [InlineData(OutboxResource.AccountAccessConsent, OutboxChange.LinkedAccountsChanged, "Authorised", false, new[] { EventTypes.AccountAccessConsentLinkedAccountUpdate })]
    [InlineData(OutboxResource.DomesticPaymentConsent, OutboxChange.LinkedAccountsChanged, "Authorised", false, new string[0])]
    [InlineData(OutboxResource.AccountAccessConsent, OutboxChange.Deleted, "Revoked", false, new string[0])]
    public void EventTypesOf_FollowTheRules(OutboxResource resource, OutboxChange change, string status, bool deletedByPartner, string[] expected)
        => Assert.Equal(expected, EventRules.EventTypesOf(resource, change, status, deletedByPartner));

    [Theory]
    [InlineData("3.1", ApiVersion.V3_1_11)]
    [InlineData("v3.1", ApiVersion.V3_1_11)]
    [InlineData("3.1.x", ApiVersion.V3_1_11)]
    [InlineData("4.0", ApiVersion.V4_0)]
    [InlineData("v4.0", ApiVersion.V4_0)]
    [InlineData("2.0", null)]
    [InlineData(null, null)]
    public void SubscriptionVersion_ReadsEveryAcceptedSpelling(string? version, ApiVersion? expected)
        => Assert.Equal(expected, EventRules.SubscriptionVersion(version));

    [Fact]
    public void AnAccountAccessConsentMadeInV31_IsShownToAV40SubscriberInV40_WithALinkPerVersion()
    {
        var resource = EventResources.Of(OutboxResource.AccountAccessConsent)!;
        var claims = Claims(resource, "aac-1", ApiVersion.V3_1_11, ApiVersion.V4_0);

        Assert.Equal($"{Base}/open-banking/v4.0/aisp/account-access-consents/aac-1", claims.Subject);
        Assert.Equal(
            [new SetLink("v3.1", $"{Base}/open-banking/v3.1/aisp/account-access-consents/aac-1"), new SetLink("v4.0", $"{Base}/open-banking/v4.0/aisp/account-access-consents/aac-1")],
            claims.Links);
    }

    [Fact]
    public void APaymentMadeInV31_IsShownToAV40SubscriberInV31_TheOnlyVersionThatReadsIt()
    {
        var resource = EventResources.Of(OutboxResource.DomesticPayment)!;
        var claims = Claims(resource, "dp-1", ApiVersion.V3_1_11, ApiVersion.V4_0);

        Assert.Equal($"{Base}/open-banking/v3.1/pisp/domestic-payments/dp-1", claims.Subject);
        Assert.Equal([new SetLink("v3.1", claims.Subject)], claims.Links);
    }

    [Fact]
    public void AnAccountAccessConsentMadeInV40_IsNeverLinkedInV31()
    {
        var resource = EventResources.Of(OutboxResource.AccountAccessConsent)!;
        var claims = Claims(resource, "aac-2", ApiVersion.V4_0, ApiVersion.V3_1_11);

        Assert.Equal($"{Base}/open-banking/v4.0/aisp/account-access-consents/aac-2", claims.Subject);
        Assert.Equal(["v4.0"], claims.Links.Select(l => l.Version));
    }

    private static SetClaims Claims(EventResource resource, string id, ApiVersion created, ApiVersion subscribed)
        => EventRules.Claims("jti-1", "wallet-a", EventTypes.ResourceUpdate, resource, id, created, subscribed, Base + "/", $"{id}:1",
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);
}
