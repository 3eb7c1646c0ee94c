using System.Security.Cryptography;
using System.Text;

namespace OpenBanking.Sandbox.Bank;

/// <summary>
/// Deterministic ids: the same organisation always gets the same ids (so a reset restores them), and two
/// organisations never share one (they are derived from the whole organisation id, not from the 31-bit seed).
/// </summary>
public sealed class SandboxIds(string organisationId)
{
    private readonly byte[] _salt = SHA256.HashData(Encoding.UTF8.GetBytes(organisationId));
    private readonly Dictionary<string, int> _counters = [];

    public string Next(string prefix)
    {
        var n = _counters.TryGetValue(prefix, out var current) ? current + 1 : 1;
        _counters[prefix] = n;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(_salt);
        hash.AppendData(Encoding.UTF8.GetBytes($"{prefix}:{n}"));
        return $"{prefix}-{Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 10))}";
    }
}
