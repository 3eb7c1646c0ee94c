using Microsoft.AspNetCore.Diagnostics;

namespace OpenBanking.Gateway.OpenBanking;

/// <summary>An unexpected failure in the gateway on a bank-API call: 500 <c>UK.OBIE.UnexpectedError</c> (v4.0: <c>U000</c>), nothing internal.</summary>
internal sealed partial class ObieExceptionHandler(ILogger<ObieExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!ObieResponses.IsOpenBanking(httpContext.Request))
        {
            return false;
        }

        if (exception is BadHttpRequestException bad)
        {
            await ObieResponses.WriteErrorAsync(httpContext, bad.StatusCode, ObieResponses.FieldInvalid, "The request could not be read.");
            return true;
        }

        LogUnexpected(logger, exception, httpContext.TraceIdentifier);
        await ObieResponses.WriteErrorAsync(httpContext, StatusCodes.Status500InternalServerError, ObieResponses.UnexpectedError,
            "The gateway could not process the request. Quote the Id when you contact support.");
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected gateway error; request {TraceId}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string traceId);
}
