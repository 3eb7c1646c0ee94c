using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Events;

/// <summary>The event types the bank notifies (OBIE Event Notification API).</summary>
public static class EventTypes
{
    public const string ResourceUpdate = "urn:uk:org:openbanking:events:resource-update";
    public const string ConsentAuthorizationRevoked = "urn:uk:org:openbanking:events:consent-authorization-revoked";
    public const string AccountAccessConsentLinkedAccountUpdate = "urn:uk:org:openbanking:events:account-access-consent-linked-account-update";

    public static readonly IReadOnlyList<string> All = [ResourceUpdate, ConsentAuthorizationRevoked, AccountAccessConsentLinkedAccountUpdate];

    public static bool IsKnown(string eventType) => All.Contains(eventType, StringComparer.Ordinal);
}

/// <summary>How a resource appears in a SET: its OBIE resource type (<c>rty</c>) and where it is read.</summary>
public sealed record EventResource(string Type, string Api, string Collection, ConsentKind ConsentKind)
{
    /// <summary>The path under a version's base, e.g. "/pisp/domestic-payments/dp-1".</summary>
    public string PathOf(string id) => $"/{Api}/{Collection}/{Uri.EscapeDataString(id)}";
}

/// <summary>
/// The resource types of the outbox as partners know them. <see cref="OutboxResource.PaymentExecution"/> is not here:
/// an execution is notified as its order (a scheduled payment or standing order), which the partner knows by id.
/// <see cref="EventResource.ConsentKind"/> decides which versions may read it (<see cref="ApiVersions.MayUse"/>).
/// </summary>
public static class EventResources
{
    private static readonly Dictionary<OutboxResource, EventResource> Map = new()
    {
        [OutboxResource.AccountAccessConsent] = new("account-access-consent", "aisp", "account-access-consents", ConsentKind.AccountAccess),
        [OutboxResource.FundsConfirmationConsent] = new("funds-confirmation-consent", "cbpii", "funds-confirmation-consents", ConsentKind.FundsConfirmation),
        [OutboxResource.DomesticPaymentConsent] = new("domestic-payment-consent", "pisp", "domestic-payment-consents", ConsentKind.DomesticPayment),
        [OutboxResource.DomesticPayment] = new("domestic-payment", "pisp", "domestic-payments", ConsentKind.DomesticPayment),
        [OutboxResource.DomesticScheduledPaymentConsent] = new("domestic-scheduled-payment-consent", "pisp", "domestic-scheduled-payment-consents", ConsentKind.DomesticScheduledPayment),
        [OutboxResource.DomesticScheduledPayment] = new("domestic-scheduled-payment", "pisp", "domestic-scheduled-payments", ConsentKind.DomesticScheduledPayment),
        [OutboxResource.DomesticStandingOrderConsent] = new("domestic-standing-order-consent", "pisp", "domestic-standing-order-consents", ConsentKind.DomesticStandingOrder),
        [OutboxResource.DomesticStandingOrder] = new("domestic-standing-order", "pisp", "domestic-standing-orders", ConsentKind.DomesticStandingOrder),
        [OutboxResource.DomesticVrpConsent] = new("domestic-vrp-consent", "pisp", "domestic-vrp-consents", ConsentKind.DomesticVrp),
        [OutboxResource.DomesticVrp] = new("domestic-vrp", "pisp", "domestic-vrps", ConsentKind.DomesticVrp),
        [OutboxResource.InternationalPaymentConsent] = new("international-payment-consent", "pisp", "international-payment-consents", ConsentKind.InternationalPayment),
        [OutboxResource.InternationalPayment] = new("international-payment", "pisp", "international-payments", ConsentKind.InternationalPayment),
    };

    public static EventResource? Of(OutboxResource resource) => Map.GetValueOrDefault(resource);

    /// <summary>The resource type for an arbitrary <c>rty</c> (test events use these too).</summary>
    public static EventResource? OfType(string type) => Map.Values.FirstOrDefault(r => r.Type == type);

    /// <summary>Every version the resource may be read through, oldest first: those are the SET's <c>rlk</c> links.</summary>
    public static IReadOnlyList<ApiVersion> ReadableVersions(EventResource resource, ApiVersion created)
        => Enum.GetValues<ApiVersion>().Where(v => ApiVersions.MayUse(resource.ConsentKind, created, v)).ToList();

    /// <summary>The short version name of a link ("v3.1", "v4.0"): OBEventLink1.version is at most 10 characters.</summary>
    public static string LinkVersion(ApiVersion version) => version switch
    {
        ApiVersion.V3_1_11 => "v3.1",
        ApiVersion.V4_0 => "v4.0",
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, null),
    };
}
