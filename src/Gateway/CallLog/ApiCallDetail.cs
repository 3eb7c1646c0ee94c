namespace OpenBanking.Gateway.CallLog;

/// <summary>
/// What a call carried, for its detail view: headers (the token and cookies withheld), the first
/// <see cref="CallCapture.MaxBodyBytes"/> of JSON or text bodies, and the error's code(s) and message. Kept apart from
/// <see cref="ApiCall"/> so list and statistics queries read narrow rows, and deleted sooner (<c>DetailRetentionDays</c>).
/// </summary>
public sealed class ApiCallDetail
{
    /// <summary>The <see cref="ApiCall.Id"/> it belongs to.</summary>
    public long CallId { get; set; }

    /// <summary>The call's arrival (UTC), so retention deletes details without reading the calls.</summary>
    public DateTime Timestamp { get; set; }

    /// <summary>The query string as sent, with its <c>?</c>.</summary>
    public string? Query { get; set; }

    /// <summary>JSON array of <c>[name, value]</c> pairs.</summary>
    public string? RequestHeaders { get; set; }

    public string? ResponseHeaders { get; set; }

    /// <summary>The body's first bytes as text; null when there was none or it was not JSON or text (see the note).</summary>
    public string? RequestBody { get; set; }

    public bool RequestBodyTruncated { get; set; }

    /// <summary>Why no body is shown, when one was sent but not kept.</summary>
    public string? RequestBodyNote { get; set; }

    public string? ResponseBody { get; set; }

    public bool ResponseBodyTruncated { get; set; }

    public string? ResponseBodyNote { get; set; }

    /// <summary>Every error code of the answer, space-separated (<c>Errors[].ErrorCode</c>, or a bearer challenge's <c>error</c>).</summary>
    public string? ErrorCodes { get; set; }

    /// <summary>The first <c>Errors[].Message</c>, or a bearer challenge's <c>error_description</c> (or what its error means).</summary>
    public string? ErrorMessage { get; set; }
}
