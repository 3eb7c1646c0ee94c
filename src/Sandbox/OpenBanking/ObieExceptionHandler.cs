using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.OpenBanking;

/// <summary>
/// Turns every failure under <c>/open-banking</c> into the OBIE error shape of the request's version: an
/// <see cref="ObieException"/> into its status and errors, anything else into a 500 <c>UK.OBIE.UnexpectedError</c>
/// (v4.0 <c>U000</c>) that reveals nothing internal.
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
            // The bank's reason for the gateway's call log (it strips both headers before the partner sees the answer).
            if (BankRefusals.Of(refusal, BankRefusals.ConsentOf(httpContext)) is { } why)
            {
                httpContext.Response.Headers[Shared.PlatformHeaders.RefusalRule] = why.Rule;
                httpContext.Response.Headers[Shared.PlatformHeaders.RefusalReason] = BankRefusals.HeaderValue(why.Reason);
            }

            if (refusal.StatusCode == StatusCodes.Status401Unauthorized)
            {
                httpContext.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            }
            if (refusal.Errors.Count > 0)
            {
                await WriteAsync(httpContext, null, refusal.Message, refusal.Errors, cancellationToken);
            }

            return true;
        }

        if (exception is BadHttpRequestException badRequest)
        {
            // A query or route value that does not bind (e.g. page=abc): the caller's mistake, never a 500.
            httpContext.Response.StatusCode = badRequest.StatusCode;
            if (badRequest.StatusCode == StatusCodes.Status400BadRequest)
            {
                httpContext.Response.Headers[Shared.PlatformHeaders.RefusalRule] = BankRefusals.Request("field");
                httpContext.Response.Headers[Shared.PlatformHeaders.RefusalReason] = "A query or route parameter of the request has a value that does not parse.";
                await WriteAsync(httpContext, null, "The request is not valid; see Errors.",
                    [new ObError(ObieErrorCodes.FieldInvalid, "A parameter of the request has a value that is not valid.")], cancellationToken);
            }

            return true;
        }

        LogUnexpected(logger, exception, errorId);
        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        await WriteAsync(httpContext, errorId, "The bank could not process the request. Quote the Id when you contact support.",
            [new ObError(ObieErrorCodes.UnexpectedError, "An unexpected error occurred.")], cancellationToken);
        return true;
    }

    /// <summary>
    /// The error body in the request's version: v3.1.11's OBErrorResponse1 with Code and Message, or v4.0's with
    /// <c>Errors</c> (and the <c>Id</c> of a 500) and the four-character codes. The first code also goes into a
    /// header, for the gateway's call log.
    /// </summary>
    private static Task WriteAsync(HttpContext httpContext, string? id, string message, IReadOnlyList<ObError> errors, CancellationToken ct)
    {
        var version = ObieApi.VersionOf(httpContext.Request);
        if (version == ApiVersion.V4_0)
        {
            var v4 = errors.Select(e => e with { ErrorCode = ObieErrorCodes.For(e.ErrorCode, version) }).ToList();
            httpContext.Response.Headers[ObieApi.ErrorCodeHeader] = v4[0].ErrorCode;
            return httpContext.Response.WriteAsJsonAsync(new ObErrorResponseV4(id, v4), ObieApi.JsonOptions, ct);
        }

        httpContext.Response.Headers[ObieApi.ErrorCodeHeader] = errors[0].ErrorCode;
        return httpContext.Response.WriteAsJsonAsync(
            new ObErrorResponse(ObieApi.StatusCodeText(httpContext.Response.StatusCode), id, message, errors), ObieApi.JsonOptions, ct);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error in a bank API request; error id {ErrorId}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string errorId);
}
