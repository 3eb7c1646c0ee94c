using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Payments;

/// <summary>
/// The cross-version rule of payment consents and payments (<see cref="ApiVersions.MayUse"/>), applied in this one
/// place by both versions' endpoints and the pipeline: a payment consent and its payment belong to the version that
/// created them, because the payment must repeat the consent's Initiation in that version's shape.
/// </summary>
public static class PaymentVersions
{
    /// <summary>A consent of another version is not found through this one (the message says where it lives).</summary>
    public static DomesticPaymentConsent Readable(DomesticPaymentConsent consent, ApiVersion used)
    {
        RequireReadable(consent.ApiVersion, used, "domestic-payment consent", consent.Id, "domestic-payment-consents");
        return consent;
    }

    public static DomesticPayment Readable(DomesticPayment payment, ApiVersion used)
    {
        RequireReadable(payment.ApiVersion, used, "domestic payment", payment.Id, "domestic-payments");
        return payment;
    }

    /// <summary>A payment submitted through one version with a consent of the other does not match it.</summary>
    public static void RequireSubmittable(DomesticPaymentConsent consent, ApiVersion used)
    {
        if (!ApiVersions.MayUse(ConsentKind.DomesticPayment, consent.ApiVersion, used))
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceConsentMismatch,
                $"The consent was created through {consent.ApiVersion.Name()}; submit its payment under {consent.ApiVersion.BasePath()}/pisp/domestic-payments.",
                "Data.ConsentId"));
        }
    }

    /// <summary>
    /// The idempotency scope of creating a consent through <paramref name="version"/>: v3.1.11 keeps its original name,
    /// so keys claimed before v4.0 existed stay valid; a key used in one version never answers in the other.
    /// </summary>
    public static string CreateConsentOperation(ApiVersion version)
        => version == ApiVersion.V3_1_11 ? PaymentService.CreateConsentOperation : $"{version.Name()} {PaymentService.CreateConsentOperation}";

    public static string CreatePaymentOperation(ApiVersion version)
        => version == ApiVersion.V3_1_11 ? PaymentService.CreatePaymentOperation : $"{version.Name()} {PaymentService.CreatePaymentOperation}";

    /// <summary>The idempotency scope of an operation of the kinds added with v4.0 (standing orders): always named with its version.</summary>
    public static string Operation(ApiVersion version, string operation) => $"{version.Name()} {operation}";

    /// <summary>The rule for another kind's resource (e.g. a standing-order consent or order, in <paramref name="collection"/>).</summary>
    public static void RequireReadable(ConsentKind kind, ApiVersion created, ApiVersion used, string what, string id, string collection)
    {
        if (!ApiVersions.MayUse(kind, created, used))
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceNotFound,
                $"No {what} has the id '{id}' in {used.Name()}: it was created through {created.Name()}; read it under {created.BasePath()}/pisp/{collection}."));
        }
    }

    /// <summary>The rule for submitting under another kind's consent (its resource is in <paramref name="collection"/>).</summary>
    public static void RequireSubmittable(ConsentKind kind, ApiVersion created, ApiVersion used, string collection)
    {
        if (!ApiVersions.MayUse(kind, created, used))
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceConsentMismatch,
                $"The consent was created through {created.Name()}; submit it under {created.BasePath()}/pisp/{collection}.", "Data.ConsentId"));
        }
    }

    private static void RequireReadable(ApiVersion created, ApiVersion used, string what, string id, string collection)
    {
        if (!ApiVersions.MayUse(ConsentKind.DomesticPayment, created, used))
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceNotFound,
                $"No {what} has the id '{id}' in {used.Name()}: it was created through {created.Name()}; read it under {created.BasePath()}/pisp/{collection}."));
        }
    }
}
