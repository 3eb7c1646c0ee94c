using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OpenBanking.Gateway.Extensions;
using OpenBanking.Gateway.OpenBanking;

namespace OpenBanking.Gateway.Proxy;

/// <summary>
/// A bank-API request body larger than <see cref="GatewayOptions.MaxRequestBodyBytes"/> is refused with 413 before
/// anything is forwarded; a chunked body is cut off at the same size by the server (→ 413 via <see cref="ForwarderErrors"/>).
/// </summary>
public static class RequestLimits
{
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app)
    {
        var limit = app.ApplicationServices.GetRequiredService<IOptions<GatewayOptions>>().Value.MaxRequestBodyBytes;
        return app.Use((context, next) =>
        {
            if (!ObieResponses.IsOpenBanking(context.Request))
            {
                return next(context);
            }

            if (context.Request.ContentLength > limit)
            {
                return ObieResponses.WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, ObieResponses.FieldInvalid,
                    $"The request body is larger than {limit / 1024} KB.");
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = limit;
            }

            return next(context);
        });
    }
}
