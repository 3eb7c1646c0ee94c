using System.Text.Json;
using System.Text.Json.Serialization;
using OpenBanking.Shared;

namespace OpenBanking.Gateway.OpenBanking;

/// <summary>
/// The gateway's own answers on the bank APIs, in the shapes of the version the request addressed: 401 and 404 without
/// a body (the specification defines none), 403, 413, 429 and 5xx with an <c>OBErrorResponse1</c> body. v3.1.11:
/// <c>Code</c>, <c>Id</c>, <c>Message</c> and <c>Errors</c> with <c>UK.OBIE.*</c> codes. v4.0: only <c>Errors</c>
/// (its <c>Code</c> and <c>Message</c> are deprecated) with the four-character codes, and <c>Id</c> on 5xx, where
/// it is the reference to quote to support.
/// </summary>
public static class ObieResponses
{
    public const string BasePath = "/open-banking";
    public const string InteractionIdHeader = PlatformHeaders.InteractionId;

    /// <summary>Set by the Sandbox on its error responses; read into the call log and never passed to the client.</summary>
    public const string ErrorCodeHeader = PlatformHeaders.ObieErrorCode;

    public static readonly ObieErrorCode HeaderInvalid = new("UK.OBIE.Header.Invalid", "U006");
    public static readonly ObieErrorCode FieldInvalid = new("UK.OBIE.Field.Invalid", "U002");
    public static readonly ObieErrorCode UnexpectedError = new("UK.OBIE.UnexpectedError", "U000");

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static bool IsOpenBanking(HttpRequest request) => request.Path.StartsWithSegments(BasePath);

    public static Task WriteErrorAsync(HttpContext context, int statusCode, ObieErrorCode errorCode, string message, string? path = null)
    {
        context.Response.StatusCode = statusCode;
        var id = context.TraceIdentifier.Length <= 40 ? context.TraceIdentifier : null;
        if (ApiVersions.IsV4(context.Request))
        {
            // What the client saw goes to the call log, so a v4.0 call is listed with its v4.0 code.
            context.Items[ErrorCodeHeader] = errorCode.V4;
            return context.Response.WriteAsJsonAsync(
                new ErrorResponseV4(statusCode >= 500 ? id : null, [new Error(errorCode.V4, message, path)]), JsonOptions);
        }

        context.Items[ErrorCodeHeader] = errorCode.V3;
        return context.Response.WriteAsJsonAsync(
            new ErrorResponse(StatusText(statusCode), id, message, [new Error(errorCode.V3, message, path)]), JsonOptions);
    }

    private static string StatusText(int statusCode) => statusCode switch
    {
        400 => "400 BadRequest",
        403 => "403 Forbidden",
        413 => "413 PayloadTooLarge",
        429 => "429 TooManyRequests",
        500 => "500 InternalServerError",
        502 => "502 BadGateway",
        503 => "503 ServiceUnavailable",
        504 => "504 GatewayTimeout",
        _ => statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private sealed record Error(string ErrorCode, string Message, string? Path);

    private sealed record ErrorResponse(string Code, string? Id, string Message, IReadOnlyList<Error> Errors);

    private sealed record ErrorResponseV4(string? Id, IReadOnlyList<Error> Errors);
}

/// <summary>
/// One error as each version names it: the v3.1.11 <c>UK.OBIE.*</c> code and the v4.0 <c>OBInternalErrorResponseError1Code</c>
/// (U000 UnexpectedError, U002 Field.Invalid, U006 Header.Invalid… from the OBIE external code set).
/// </summary>
public sealed record ObieErrorCode(string V3, string V4);
