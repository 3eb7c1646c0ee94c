using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace OpenBanking.Identity.Customers;

/// <summary>
/// The customer's subject as one client sees it (OIDC pairwise identifiers): an HMAC of the client, tenant and
/// customer under a server secret, so two partners cannot correlate a customer and the bank's ids stay internal.
/// </summary>
public sealed class PairwiseSubjects(byte[] key)
{
    public string For(string clientId, string organisationId, string customerId)
    {
        var input = Encoding.UTF8.GetBytes(string.Join('\n', clientId, organisationId, customerId));
        return WebEncoders.Base64UrlEncode(HMACSHA256.HashData(key, input));
    }
}
