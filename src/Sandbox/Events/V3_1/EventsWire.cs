using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Events.V3_1;

/// <summary>The Events API of v3.1.11 (specs/obie-v3.1.11/events-openapi.yaml) at <c>/open-banking/v3.1</c>: UK.OBIE.* error codes.</summary>
public sealed class EventsWire : IEventsWire
{
    public static readonly EventsWire Instance = new();

    public ApiVersion Version => ApiVersion.V3_1_11;

    public string NameSuffix => string.Empty;
}
