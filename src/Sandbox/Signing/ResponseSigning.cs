using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Signing;

/// <summary>
/// Signs every response with a body of the message-signing endpoints (errors included) with the bank's key, and tells
/// the gateway's call log how the request's signature fared (internal <c>x-ob-signature</c>, <c>x-ob-refusal-rule</c>,
/// which the gateway strips). Sits outside the exception handler, so that it sees the final OBIE error bodies; it reads
/// the endpoint before the handler runs, since the exception handler clears it.
/// </summary>
public static class ResponseSigning
{
    public static IApplicationBuilder UseResponseSigning(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<MessageSigningMetadata>();
        if (metadata is null)
        {
            await next(context);
            return;
        }

        var takesSignature = metadata.TakesSignature(context.Request.Method);
        context.Response.OnStarting(() =>
        {
            // The outcome travels in Items: the exception handler clears the headers a refusal would have set.
            if (takesSignature)
            {
                context.Response.Headers[PlatformHeaders.SignatureOutcome] =
                    context.Items[CallItems.Signed] is true && context.Items[CallItems.SignatureKid] is string kid ? $"kid={kid}" : "none";
            }

            if (context.Items[CallItems.RefusalRule] is string rule)
            {
                context.Response.Headers[PlatformHeaders.RefusalRule] = rule;
            }

            return Task.CompletedTask;
        });

        if (!metadata.SignsResponses)
        {
            await next(context);
            return;
        }

        // Bank-API bodies here are small JSON documents: buffer, sign, then send.
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (buffer.Length > 0)
        {
            var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
            var signer = context.RequestServices.GetRequiredService<DetachedJws>();
            context.Response.Headers[PlatformHeaders.JwsSignature] = await signer.SignAsync(body, context.RequestAborted);
            context.Response.ContentLength = buffer.Length;
            await original.WriteAsync(body, context.RequestAborted);
        }
    });
}
