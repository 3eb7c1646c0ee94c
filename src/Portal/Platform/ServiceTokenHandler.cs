using System.Net.Http.Headers;

namespace OpenBanking.Portal.Platform;

/// <summary>Adds the Portal's service token for <paramref name="scope"/> to every request of a typed client.</summary>
public sealed class ServiceTokenHandler(ServiceTokenProvider tokens, string scope) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(scope, cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
