using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Events;

/// <summary>
/// What differs between the versions of the Events API (V3_1, V4_0): only where it is served and how it is named. The
/// request and response schemas of events-openapi.yaml are the same in both releases, and the v4.0 error codes (U024,
/// U029, …) come from the exception handler, so the subscription and polling endpoints are written once.
/// </summary>
public interface IEventsWire
{
    ApiVersion Version { get; }

    /// <summary>Added to the endpoints' names, so both versions' operations are told apart in the OpenAPI document.</summary>
    string NameSuffix { get; }

    string BasePath => Version.BasePath();
}
