using System.Text.Json.Serialization;

namespace OpenBanking.Sandbox.OpenBanking;

/// <summary>The <c>UK.OBIE.*</c> error codes of the v3.1.11 specification that this bank uses.</summary>
public static class ObieErrorCodes
{
    public const string FieldExpected = "UK.OBIE.Field.Expected";
    public const string FieldInvalid = "UK.OBIE.Field.Invalid";
    public const string FieldInvalidDate = "UK.OBIE.Field.InvalidDate";
    public const string FieldMissing = "UK.OBIE.Field.Missing";
    public const string FieldUnexpected = "UK.OBIE.Field.Unexpected";
    public const string HeaderInvalid = "UK.OBIE.Header.Invalid";
    public const string HeaderMissing = "UK.OBIE.Header.Missing";
    public const string ResourceInvalidFormat = "UK.OBIE.Resource.InvalidFormat";
    public const string ResourceNotFound = "UK.OBIE.Resource.NotFound";
    public const string ResourceInvalidConsentStatus = "UK.OBIE.Resource.InvalidConsentStatus";
    public const string ResourceConsentMismatch = "UK.OBIE.Resource.ConsentMismatch";
    public const string RulesDuplicateReference = "UK.OBIE.Rules.DuplicateReference";
    public const string UnsupportedCurrency = "UK.OBIE.Unsupported.Currency";
    public const string UnsupportedScheme = "UK.OBIE.Unsupported.Scheme";
    public const string UnsupportedAccountIdentifier = "UK.OBIE.Unsupported.AccountIdentifier";
    public const string UnsupportedLocalInstrument = "UK.OBIE.Unsupported.LocalInstrument";
    public const string UnexpectedError = "UK.OBIE.UnexpectedError";
}

/// <summary>One error of an <see cref="ObErrorResponse"/> (OBError1).</summary>
public sealed record ObError(
    string ErrorCode,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Path = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url = null);

/// <summary>The OBErrorResponse1 body of every bank-API error that has one.</summary>
public sealed record ObErrorResponse(
    string Code,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    string Message,
    IReadOnlyList<ObError> Errors);

/// <summary>
/// A refusal of a bank-API request. Thrown anywhere in a request and turned into the OBIE error body in one place
/// (<see cref="ObieExceptionHandler"/>), so handlers never build error bodies themselves.
/// </summary>
public sealed class ObieException(int statusCode, string message, IReadOnlyList<ObError> errors) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public IReadOnlyList<ObError> Errors { get; } = errors;

    public static ObieException BadRequest(params ObError[] errors)
        => new(StatusCodes.Status400BadRequest, "The request is not valid; see Errors.", errors);

    public static ObieException NotFound(string what, string id)
        => BadRequest(new ObError(ObieErrorCodes.ResourceNotFound, $"No {what} has the id '{id}'."));

    /// <summary>403 without a body, as the specification's examples give it (the body is optional).</summary>
    public static ObieException Forbidden(string reason)
        => new(StatusCodes.Status403Forbidden, reason, []);
}
