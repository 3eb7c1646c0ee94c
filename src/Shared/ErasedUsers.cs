using System.Security.Cryptography;
using System.Text;

namespace OpenBanking.Shared;

/// <summary>
/// The opaque id that stands for a partner user after they erased their account, in the records that must stay (the
/// Portal's audit trail, Identity's client audit, who created an app). Identity and the Portal derive it from the
/// subject on their own, so either side's step can run (or run again) without the other: the same person gets the same
/// id in both services' records, and once the account is gone nothing maps the id back to an address or a name.
/// </summary>
public static class ErasedUsers
{
    /// <summary>Every pseudonym starts with this, so readers of an audit trail see it is not a person's address.</summary>
    public const string Prefix = "erased-user-";

    /// <summary>The pseudonym of the user with this Identity subject (<c>erased-user-</c> and 20 hex digits).</summary>
    public static string Pseudonym(string subject)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes("openbanking:erased-user:" + subject), hash);
        return Prefix + Convert.ToHexStringLower(hash[..10]);
    }
}
