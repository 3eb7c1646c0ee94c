using System.Text;
using System.Text.Json;
using Microsoft.Net.Http.Headers;
using OpenBanking.Gateway.OpenBanking;

namespace OpenBanking.Gateway.CallLog;

/// <summary>
/// Turns a <see cref="CallCapture"/> into the stored <see cref="ApiCallDetail"/>, in the writer (off the request path):
/// bodies as UTF-8 text, headers as JSON, and the error — the OBIE body's codes and first message, or for a refused
/// token (no body) the bearer challenge's <c>error</c> and <c>error_description</c>.
/// </summary>
public static class CallDetails
{
    /// <summary>RFC 6750 §3.1: what a bearer challenge's error means, when it gives no description of its own.</summary>
    private static readonly Dictionary<string, string> BearerErrors = new(StringComparer.Ordinal)
    {
        ["invalid_token"] = "The access token was refused: it is expired, revoked or malformed, or the consent it is bound to no longer grants access (deleted, expired or revoked).",
        ["invalid_request"] = "The request's credentials are malformed: send one access token, in the Authorization header.",
        ["insufficient_scope"] = "The access token does not have the scope this API needs.",
    };

    public static ApiCallDetail Build(ApiCall call, CallCapture capture)
    {
        var detail = new ApiCallDetail
        {
            Timestamp = call.Timestamp,
            Query = capture.Query,
            RequestHeaders = Headers(capture.RequestHeaders),
            ResponseHeaders = Headers(capture.ResponseHeaders),
        };
        (detail.RequestBody, detail.RequestBodyTruncated, detail.RequestBodyNote) = Body(capture.RequestBody, capture.RequestHeaders);
        if (detail.RequestBody is null && capture.RequestContentLength is not null)
        {
            detail.RequestBodyNote = "The gateway answered before reading the body.";
        }

        (detail.ResponseBody, detail.ResponseBodyTruncated, detail.ResponseBodyNote) = Body(capture.ResponseBody, capture.ResponseHeaders);
        // A consent create names its consent only in the answer.
        if (call.ConsentId is null && call.StatusCode == StatusCodes.Status201Created
            && call.RouteTemplate?.EndsWith("-consents", StringComparison.Ordinal) == true)
        {
            call.ConsentId = Limit(CreatedConsentId(detail.ResponseBody), 100);
        }

        if (call.StatusCode >= 400)
        {
            var (codes, message) = ObieError(detail.ResponseBody);
            if (codes is null && message is null)
            {
                (codes, message) = BearerChallenge(capture.ResponseHeaders);
            }

            detail.ErrorCodes = Limit(codes, 500);
            detail.ErrorMessage = Limit(message, 1000);
            // On v4.0 the body's code is what the client saw: it wins over the bank's internal header, so a v4.0 call
            // never lists a v3.1 UK.OBIE.* code whatever the header says.
            var first = Limit(codes?.Split(' ')[0], 100);
            call.ErrorCode = first is not null && ApiVersions.Of(call.Path) == ApiVersions.V4 ? first : call.ErrorCode ?? first;
        }

        return detail;
    }

    private static (string? Text, bool Truncated, string? Note) Body(BodyCapture body, KeyValuePair<string, string>[] headers)
    {
        if (body.Total == 0)
        {
            return (null, false, null);
        }

        if (body.Keep != true)
        {
            var type = headers.FirstOrDefault(h => h.Key.Equals(HeaderNames.ContentType, StringComparison.OrdinalIgnoreCase)).Value;
            return (null, false, Limit($"Not kept: {(string.IsNullOrEmpty(type) ? "no content type" : type)} is not JSON or text.", 200));
        }

        var kept = body.Kept;
        if (body.Truncated)
        {
            kept = kept[..CompleteUtf8Length(kept)];
        }

        return (Encoding.UTF8.GetString(kept), body.Truncated, null);
    }

    /// <summary>The length of <paramref name="bytes"/> without a multi-byte character cut off at its end.</summary>
    internal static int CompleteUtf8Length(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.Length;
        var continuation = 0;
        while (end - continuation > 0 && continuation < 3 && (bytes[end - continuation - 1] & 0xC0) == 0x80)
        {
            continuation++;
        }

        var lead = end - continuation - 1;
        if (lead < 0)
        {
            return end;
        }

        var needed = bytes[lead] switch
        {
            >= 0xF0 => 3,
            >= 0xE0 => 2,
            >= 0xC0 => 1,
            _ => 0,
        };
        return needed > continuation ? lead : end;
    }

    private static (string? Codes, string? Message) ObieError(string? body)
    {
        if (string.IsNullOrEmpty(body) || body[0] != '{')
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            string? codes = null, message = null;
            if (root.TryGetProperty("Errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                codes = string.Join(' ', errors.EnumerateArray()
                    .Select(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("ErrorCode", out var code) ? code.GetString() : null)
                    .Where(c => !string.IsNullOrEmpty(c)));
                message = errors.EnumerateArray()
                    .Select(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("Message", out var m) ? m.GetString() : null)
                    .FirstOrDefault(m => !string.IsNullOrEmpty(m));
            }

            message ??= String(root, "Message") ?? String(root, "detail") ?? String(root, "title");
            return (string.IsNullOrEmpty(codes) ? null : codes, message);
        }
        catch (JsonException)
        {
            // A truncated or non-JSON body: the detail still shows it as text.
            return (null, null);
        }
    }

    private static string? CreatedConsentId(string? body)
    {
        if (string.IsNullOrEmpty(body) || body[0] != '{')
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("Data", out var data) && data.ValueKind == JsonValueKind.Object
                ? String(data, "ConsentId")
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary><c>WWW-Authenticate: Bearer error="invalid_token", error_description="…"</c> → (error, description).</summary>
    internal static (string? Error, string? Description) BearerChallenge(KeyValuePair<string, string>[] headers)
    {
        var challenge = headers.FirstOrDefault(h => h.Key.Equals(HeaderNames.WWWAuthenticate, StringComparison.OrdinalIgnoreCase)).Value;
        if (string.IsNullOrEmpty(challenge))
        {
            return (null, null);
        }

        var error = Parameter(challenge, "error");
        var description = Parameter(challenge, "error_description");
        if (error is null && description is null)
        {
            return (null, "The access token is missing or was not accepted.");
        }

        return (error, description ?? (error is not null && BearerErrors.TryGetValue(error, out var meaning) ? meaning : null));
    }

    private static string? Parameter(string challenge, string name)
    {
        var at = 0;
        while ((at = challenge.IndexOf(name + "=", at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            // A whole parameter name: after the scheme's space or a comma, not inside error_description for "error".
            var before = at == 0 ? ' ' : challenge[at - 1];
            var start = at + name.Length + 1;
            if (before is ' ' or ',')
            {
                if (start < challenge.Length && challenge[start] == '"')
                {
                    var value = new StringBuilder();
                    for (var i = start + 1; i < challenge.Length && challenge[i] != '"'; i++)
                    {
                        if (challenge[i] == '\\' && i + 1 < challenge.Length)
                        {
                            i++;
                        }

                        value.Append(challenge[i]);
                    }

                    return value.ToString();
                }

                var end = challenge.IndexOf(',', start);
                return challenge[start..(end < 0 ? challenge.Length : end)].Trim();
            }

            at = start;
        }

        return null;
    }

    private static string Headers(KeyValuePair<string, string>[] headers)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var (name, value) in headers)
            {
                json.WriteStartArray();
                json.WriteStringValue(name);
                json.WriteStringValue(value);
                json.WriteEndArray();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string? Limit(string? value, int length)
        => string.IsNullOrEmpty(value) ? null : value.Length <= length ? value : value[..length];
}
