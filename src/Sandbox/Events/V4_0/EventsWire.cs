using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Events.V4_0;

/// <summary>
/// The Events API of v4.0 (specs/obie-v4.0/events-openapi.yaml) at <c>/open-banking/v4.0</c>. The YAML still names the
/// server <c>/open-banking/v3.1</c>; the bank serves it under v4.0 too so a v4.0 client stays on one base path, and
/// answers there with v4.0's four-character error codes.
/// </summary>
public sealed class EventsWire : IEventsWire
{
    public static readonly EventsWire Instance = new();

    public ApiVersion Version => ApiVersion.V4_0;

    public string NameSuffix => "V4";
}
