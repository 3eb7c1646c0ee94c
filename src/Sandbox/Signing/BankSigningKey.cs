namespace OpenBanking.Sandbox.Signing;

/// <summary>
/// One of the bank's message-signing keys (RSA 2048, PS256): signs event notifications (SETs) and, later, responses'
/// <c>x-jws-signature</c>. The private half is stored protected by ASP.NET Core Data Protection (whose keys are in this
/// database, encrypted); the public half is published at <c>{gateway}/.well-known/jwks.json</c>.
/// Times are real time (UTC): key lifetimes are not bank business and do not follow a tenant's test clock.
/// </summary>
public sealed class BankSigningKey
{
    /// <summary>The JWK thumbprint (RFC 7638) of the public key, base64url.</summary>
    public required string Kid { get; set; }

    public required string Algorithm { get; set; }

    /// <summary>The public JWK as JSON (kty, n, e, kid, use, alg).</summary>
    public required string PublicJwk { get; set; }

    /// <summary>The PKCS#8 private key, protected by Data Protection (purpose <see cref="BankSigningKeys.Purpose"/>).</summary>
    public required string ProtectedPrivateKey { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>From when it signs. A rotated-in key is published first and used only from here.</summary>
    public DateTime ActivatesAt { get; set; }

    /// <summary>When a newer key took over (null while it is the newest); it stays published until <see cref="UnpublishAt"/>.</summary>
    public DateTime? SupersededAt { get; set; }

    /// <summary>When it leaves the JWKS: after every SET it signed has expired. Null while it is the newest.</summary>
    public DateTime? UnpublishAt { get; set; }
}
