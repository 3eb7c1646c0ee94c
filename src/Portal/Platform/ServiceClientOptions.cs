namespace OpenBanking.Portal.Platform;

/// <summary>The Portal's own client at Identity (<c>Platform:ServiceClient</c>): client credentials for internal scopes.</summary>
public sealed class ServiceClientOptions
{
    public const string SectionName = "Platform:ServiceClient";

    public string ClientId { get; set; } = "portal-service";

    public string? ClientSecret { get; set; }

    /// <summary>Identity's token endpoint on the internal network (service discovery resolves "identity").</summary>
    public Uri TokenEndpoint { get; set; } = new("http://identity/connect/token");
}
