using System.Net.Http.Headers;
using System.Text;

namespace OpenBanking.Portal.Authentication;

/// <summary>
/// ASP.NET Core's OpenID Connect handler sends the client secret in the request body (client_secret_post), which
/// Identity refuses (FAPI: secrets travel in the Authorization header). On the way out of the Portal's OIDC back
/// channel, a form carrying <c>client_secret</c> has it moved into HTTP Basic authentication (RFC 6749 §2.3.1:
/// form-encoded id and secret), for the pushed authorization request and the token request alike.
/// </summary>
public sealed class ClientSecretBasicHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Post && request.Content?.Headers.ContentType?.MediaType == "application/x-www-form-urlencoded")
        {
            var fields = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(await request.Content.ReadAsStringAsync(cancellationToken));
            if (fields.TryGetValue("client_secret", out var secret) && fields.TryGetValue("client_id", out var clientId))
            {
                var credentials = $"{Uri.EscapeDataString(clientId.ToString())}:{Uri.EscapeDataString(secret.ToString())}";
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
                request.Content = new FormUrlEncodedContent(fields
                    .Where(f => f.Key != "client_secret")
                    .SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? string.Empty))));
            }
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
