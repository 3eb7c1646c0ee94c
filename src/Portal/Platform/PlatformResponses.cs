using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace OpenBanking.Portal.Platform;

/// <summary>How the Portal reads the answers of the platform's internal APIs.</summary>
internal static class PlatformResponses
{
    /// <summary>A 400 validation problem becomes field errors the forms show; anything else a plain failure.</summary>
    public static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            var problem = await response.Content.ReadFromJsonAsync<HttpValidationProblemDetails>(ct);
            throw new PlatformServiceException(problem?.Title ?? "The request was not valid.", problem?.Errors.ToDictionary());
        }

        var detail = response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
            ? (await response.Content.ReadFromJsonAsync<ProblemDetails>(ct))?.Detail
            : null;
        throw new PlatformServiceException(detail ?? $"The platform answered {(int)response.StatusCode} {response.ReasonPhrase}.");
    }
}
