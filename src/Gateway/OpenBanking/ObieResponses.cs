using System.Text.Json;
using System.Text.Json.Serialization;
using OpenBanking.Shared;

namespace OpenBanking.Gateway.OpenBanking;

/// <summary>
/// The gateway's own answers on the bank APIs, in the v3.1.11 shapes: 401 and 404 without a body (the
/// specification defines none), 403, 413, 429 and 5xx with an <c>OBErrorResponse1</c> body.
/// </summary>
public static class ObieResponses
{
    public const string BasePath = "/open-banking";
    public const string InteractionIdHeader = PlatformHeaders.InteractionId;

    /// <summary>Set by the Sandbox on its error responses; read into the call log and never passed to the client.</summary>
    public const string ErrorCodeHeader = PlatformHeaders.ObieErrorCode;

    public const string HeaderInvalid = "UK.OBIE.Header.Invalid";
    public const string FieldInvalid = "UK.OBIE.Field.Invalid";
    public const string UnexpectedError = "UK.OBIE.UnexpectedError";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static bool IsOpenBanking(HttpRequest request) => request.Path.StartsWithSegments(BasePath);

    public static Task WriteErrorAsync(HttpContext context, int statusCode, string errorCode, string message, string? path = null)
    {
        context.Response.StatusCode = statusCode;
        context.Items[ErrorCodeHeader] = errorCode;
        var body = new ErrorResponse(StatusText(statusCode), context.TraceIdentifier.Length <= 40 ? context.TraceIdentifier : null, message,
            [new Error(errorCode, message, path)]);
        return context.Response.WriteAsJsonAsync(body, JsonOptions);
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
}
