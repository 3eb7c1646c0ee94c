namespace OpenBanking.Identity.Grants;

/// <summary>
/// One successful use of the token or revocation endpoint by a partner app: an authorization code exchanged, a
/// refresh token redeemed, a token revoked. Kept because OpenIddict's own token rows do not tell these apart reliably
/// (a redeemed refresh token may be pruned, a revocation leaves no trace of who asked).
/// </summary>
public sealed class TokenActivityEntry
{
    public long Id { get; set; }

    public required string ClientId { get; set; }

    /// <summary>One of <see cref="TokenActivityKinds"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>The consent the tokens act under, when they do.</summary>
    public string? ConsentId { get; set; }

    /// <summary>UTC.</summary>
    public DateTime At { get; set; }
}

/// <summary>The kinds of <see cref="TokenActivityEntry.Kind"/>.</summary>
public static class TokenActivityKinds
{
    public const string CodeExchange = "code-exchange";
    public const string Refresh = "refresh";
    public const string Revocation = "revocation";
}
