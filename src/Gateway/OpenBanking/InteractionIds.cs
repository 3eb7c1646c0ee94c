namespace OpenBanking.Gateway.OpenBanking;

/// <summary>
/// Every bank-API response carries a <c>Date</c> and <c>x-fapi-interaction-id</c>: the caller's, when it is a UUID, else a new one —
/// also on the gateway's own 401/403/404/429/5xx. The Sandbox receives the same id, so one id traces the call.
/// </summary>
public static class InteractionIds
{
    /// <summary><c>bool</c> in <c>HttpContext.Items</c>: whether the client sent its own (valid) interaction id.</summary>
    public const string SentItem = "call.interaction.sent";

    public static IApplicationBuilder UseInteractionIds(this IApplicationBuilder app) => app.Use(static (context, next) =>
    {
        if (!ObieResponses.IsOpenBanking(context.Request))
        {
            return next(context);
        }

        var sent = context.Request.Headers[ObieResponses.InteractionIdHeader];
        var kept = sent.Count == 1 && Guid.TryParse(sent[0], out _) && sent[0]!.Length == 36;
        var interactionId = kept ? sent[0]! : Guid.NewGuid().ToString();
        // The call log (and spec lint) must know whether the id is the client's or the gateway's.
        context.Items[SentItem] = kept;
        context.Request.Headers[ObieResponses.InteractionIdHeader] = interactionId;
        context.Response.OnStarting(static state =>
        {
            var (ctx, id) = ((HttpContext, string))state;
            ctx.Response.Headers[ObieResponses.InteractionIdHeader] = id;
            // Kestrel adds Date too; set here so every bank-API response has one whatever the server.
            if (!ctx.Response.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.Date))
            {
                ctx.Response.Headers.Date = DateTimeOffset.UtcNow.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            }

            return Task.CompletedTask;
        }, (context, interactionId));
        return next(context);
    });
}
