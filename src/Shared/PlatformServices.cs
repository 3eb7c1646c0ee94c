namespace OpenBanking.Shared;

/// <summary>The platform's services: their names (for service discovery) and default Development URLs.</summary>
public static class PlatformServices
{
    /// <summary>The partner and admin web portal.</summary>
    public const string Portal = "portal";

    /// <summary>The OAuth 2.0 / OpenID Connect authorization server.</summary>
    public const string Identity = "identity";

    /// <summary>The public entry to the bank APIs.</summary>
    public const string Gateway = "gateway";

    /// <summary>The sandbox bank behind the gateway.</summary>
    public const string Sandbox = "sandbox";

    /// <summary>Default Development port of each service on loopback.</summary>
    public static readonly IReadOnlyDictionary<string, int> DevelopmentPorts = new Dictionary<string, int>
    {
        [Portal] = 5000,
        [Identity] = 5001,
        [Gateway] = 5002,
        [Sandbox] = 5003,
    };
}
