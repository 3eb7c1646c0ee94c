using System.Text.Json.Serialization;

namespace OpenBanking.Sandbox.Events.Polling;

/// <summary><c>OBEventPollingResponse1</c>: the SETs by jti (each the compact JWS, as pushed) and whether more are waiting.</summary>
public sealed record EventPollingResponse(
    [property: JsonPropertyName("sets")] IReadOnlyDictionary<string, string> Sets,
    [property: JsonPropertyName("moreAvailable")] bool MoreAvailable);
