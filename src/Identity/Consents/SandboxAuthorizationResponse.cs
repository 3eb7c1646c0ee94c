using System.Text.Json;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.WebUtilities;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace OpenBanking.Identity.Consents;

/// <summary>
/// The non-browser sandbox authorisation (<c>POST /sandbox/authorize</c>) answers with JSON naming the redirect the
/// browser would have followed (<c>code</c>, <c>state</c>, <c>iss</c> — or <c>error</c>), instead of a 302 an HTTP
/// client would chase to the app's redirect URI.
/// </summary>
public sealed class SandboxAuthorizationResponse : IOpenIddictServerHandler<ApplyAuthorizationResponseContext>
{
    public const string Path = "/sandbox/authorize";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyAuthorizationResponseContext>()
            .UseSingletonHandler<SandboxAuthorizationResponse>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.Authentication.ProcessFormPostResponse.Descriptor.Order - 1_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ApplyAuthorizationResponseContext context)
    {
        var http = context.Transaction.GetHttpRequest()?.HttpContext;
        if (http is null || !http.Request.Path.Equals(Path, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        http.Response.ContentType = "application/json";
        http.Response.Headers.CacheControl = "no-store";
        if (string.IsNullOrEmpty(context.RedirectUri))
        {
            // Nowhere to send the client back (unknown client, bad request_uri): the error itself.
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await JsonSerializer.SerializeAsync(http.Response.Body, new Dictionary<string, string?>
            {
                ["error"] = context.Response.Error,
                ["error_description"] = context.Response.ErrorDescription,
            }, cancellationToken: context.CancellationToken);
            context.HandleRequest();
            return;
        }

        var parameters = context.Response.GetParameters()
            .Select(p => new KeyValuePair<string, string?>(p.Key, (string?)p.Value))
            .Where(p => p.Value is not null);
        var redirect = QueryHelpers.AddQueryString(context.RedirectUri, parameters);
        // The redirect is the outcome, a denial included: 200 either way, as the browser would have been redirected.
        http.Response.StatusCode = StatusCodes.Status200OK;
        await JsonSerializer.SerializeAsync(http.Response.Body, new Dictionary<string, string?>
        {
            ["redirect_uri"] = redirect,
            ["error"] = context.Response.Error,
        }.Where(p => p.Value is not null).ToDictionary(), cancellationToken: context.CancellationToken);
        context.HandleRequest();
    }
}
