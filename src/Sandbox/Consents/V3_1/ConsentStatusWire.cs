using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Consents.V3_1;

/// <summary>
/// Consent statuses as v3.1.11 writes them. Today the domain borrows these very names, so the mapping is one to one;
/// an edge of another version (v4.0 adds e.g. Expired) maps the same domain status its own way.
/// </summary>
public static class ConsentStatusWire
{
    public static string Name(ConsentStatus status) => status switch
    {
        ConsentStatus.AwaitingAuthorisation => "AwaitingAuthorisation",
        ConsentStatus.Authorised => "Authorised",
        ConsentStatus.Rejected => "Rejected",
        ConsentStatus.Revoked => "Revoked",
        ConsentStatus.Consumed => "Consumed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A consent status without a v3.1.11 name."),
    };
}
