using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;

namespace OpenBanking.Sandbox.OpenBanking;

/// <summary>
/// Turns every failure under <c>/open-banking</c> into the OBIE error shape: an <see cref="ObieException"/> into
/// its status and errors, anything else into a 500 <c>UK.OBIE.UnexpectedError</c> that reveals nothing internal.
/// </summary>
internal sealed partial class ObieExceptionHandler(ILogger<ObieExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!ObieApi.IsOpenBankingRequest(httpContext.Request))
        {
            return false;
        }

        var errorId = Activity.Current?.TraceId.ToString()[..32] ?? httpContext.TraceIdentifier;
        if (exception is ObieException refusal)
        {
            httpContext.Response.StatusCode = refusal.StatusCode;
            if (refusal.StatusCode == StatusCodes.Status401Unauthorized)
            {
                httpContext.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            }
            if (refusal.Errors.Count > 0)
            {
                httpContext.Response.Headers[ObieApi.ErrorCodeHeader] = refusal.Errors[0].ErrorCode;
                await httpContext.Response.WriteAsJsonAsync(
                    new ObErrorResponse(ObieApi.StatusCodeText(refusal.StatusCode), null, refusal.Message, refusal.Errors),
                    ObieApi.JsonOptions, cancellationToken);
            }

            return true;
        }

        if (exception is BadHttpRequestException badRequest)
        {
            // A query or route value that does not bind (e.g. page=abc): the caller's mistake, never a 500.
            httpContext.Response.StatusCode = badRequest.StatusCode;
            if (badRequest.StatusCode == StatusCodes.Status400BadRequest)
            {
                httpContext.Response.Headers[ObieApi.ErrorCodeHeader] = ObieErrorCodes.FieldInvalid;
                await httpContext.Response.WriteAsJsonAsync(
                    new ObErrorResponse(ObieApi.StatusCodeText(400), null, "The request is not valid; see Errors.",
                        [new ObError(ObieErrorCodes.FieldInvalid, "A parameter of the request has a value that is not valid.")]),
                    ObieApi.JsonOptions, cancellationToken);
            }

            return true;
        }

        LogUnexpected(logger, exception, errorId);
        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        httpContext.Response.Headers[ObieApi.ErrorCodeHeader] = ObieErrorCodes.UnexpectedError;
        await httpContext.Response.WriteAsJsonAsync(
            new ObErrorResponse(
                "500 InternalServerError",
                errorId,
                "The bank could not process the request. Quote the Id when you contact support.",
                [new ObError(ObieErrorCodes.UnexpectedError, "An unexpected error occurred.")]),
            ObieApi.JsonOptions, cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error in a bank API request; error id {ErrorId}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string errorId);
}
