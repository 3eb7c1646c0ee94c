using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using OpenBanking.Gateway.Extensions;
using OpenBanking.Gateway.OpenBanking;
using OpenBanking.Shared;

namespace OpenBanking.Gateway.Proxy;

/// <summary>
/// A bank-API request body (or a custom test customer's, 2 MiB) larger than <see cref="GatewayOptions.MaxRequestBodyBytes"/> is refused with 413 before
/// anything is forwarded; a chunked body is cut off at the same size by the server (→ 413 via <see cref="ForwarderErrors"/>).
/// </summary>
public static class RequestLimits
{
    /// <summary>The partner's custom test customers (<c>/sandbox/v1/customers</c>).</summary>
    public const string CustomersPath = "/sandbox/v1/customers";

    /// <summary>2 MiB: a customer definition with an uploaded transaction list.</summary>
    public const long CustomersMaxBodyBytes = 2 * 1024 * 1024;

    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app)
    {
        var limit = app.ApplicationServices.GetRequiredService<IOptions<GatewayOptions>>().Value.MaxRequestBodyBytes;
        return app.Use((context, next) =>
        {
            // A custom test customer may come with an uploaded history (up to 2,000 transactions): a limit of its own.
            if (context.Request.Path.StartsWithSegments(CustomersPath))
            {
                if (context.Request.ContentLength > CustomersMaxBodyBytes)
                {
                    Refuse(context, $"The request body is larger than {CustomersMaxBodyBytes / 1024 / 1024} MiB.");
                    context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                    return Task.CompletedTask;
                }

                Limit(context, CustomersMaxBodyBytes);
                return next(context);
            }

            if (!ObieResponses.IsOpenBanking(context.Request))
            {
                return next(context);
            }

            if (context.Request.ContentLength > limit)
            {
                Refuse(context, $"The request body is larger than {limit / 1024} KB.");
                return ObieResponses.WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, ObieResponses.FieldInvalid,
                    $"The request body is larger than {limit / 1024} KB.");
            }

            Limit(context, limit);
            return next(context);
        });
    }

    private static void Limit(HttpContext context, long bytes)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = bytes;
        }
    }

    private static void Refuse(HttpContext context, string reason)
    {
        context.Items[CallItems.RefusalRule] = RefusalRules.RequestRefused;
        context.Items[CallItems.RefusalReason] = reason;
    }
}
