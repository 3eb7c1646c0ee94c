using System.Text.Json.Serialization;
using OpenBanking.Sandbox.Domain;

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
    public const string RulesFailsControlParameters = "UK.OBIE.Rules.FailsControlParameters";
    public const string RulesAfterCutOffDateTime = "UK.OBIE.Rules.AfterCutOffDateTime";
    public const string ResourceAlreadyExists = "UK.OBIE.Resource.AlreadyExists";

    /// <summary>The 409 of a second event subscription (the name the v3.1.11 error list and VRP YAML give it).</summary>
    public const string RulesResourceAlreadyExists = "UK.OBIE.Rules.ResourceAlreadyExists";
    public const string UnsupportedAccountSecondaryIdentifier = "UK.OBIE.Unsupported.AccountSecondaryIdentifier";
    public const string UnsupportedFrequency = "UK.OBIE.Unsupported.Frequency";
    public const string UnsupportedEventType = "UK.OBIE.Unsupported.EventType";
    public const string SignatureInvalid = "UK.OBIE.Signature.Invalid";
    public const string SignatureInvalidClaim = "UK.OBIE.Signature.InvalidClaim";
    public const string SignatureMissingClaim = "UK.OBIE.Signature.MissingClaim";
    public const string SignatureMalformed = "UK.OBIE.Signature.Malformed";
    public const string SignatureMissing = "UK.OBIE.Signature.Missing";
    public const string SignatureUnexpected = "UK.OBIE.Signature.Unexpected";
    public const string Reauthenticate = "UK.OBIE.Reauthenticate";

    /// <summary>
    /// The v4.0 four-character code of each v3.1.11 code (OBInternalErrorResponseError1Code of the OBIE external code
    /// sets: the v3 names in the order the code set lists them). The bank's code throws the v3.1.11 names; the
    /// exception handler writes these on v4.0 paths, so one refusal has one meaning in both versions.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> V4Codes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [UnexpectedError] = "U000",
        [FieldExpected] = "U001",
        [FieldInvalid] = "U002",
        [FieldInvalidDate] = "U003",
        [FieldMissing] = "U004",
        [FieldUnexpected] = "U005",
        [HeaderInvalid] = "U006",
        [HeaderMissing] = "U007",
        [ResourceConsentMismatch] = "U008",
        [ResourceInvalidConsentStatus] = "U009",
        [ResourceInvalidFormat] = "U010",
        [ResourceNotFound] = "U011",
        [RulesAfterCutOffDateTime] = "U012",
        [RulesDuplicateReference] = "U013",
        [RulesFailsControlParameters] = "U014",
        [SignatureInvalid] = "U015",
        [SignatureInvalidClaim] = "U016",
        [SignatureMissingClaim] = "U017",
        [SignatureMalformed] = "U018",
        [SignatureMissing] = "U019",
        [SignatureUnexpected] = "U020",
        [UnsupportedAccountIdentifier] = "U021",
        [UnsupportedAccountSecondaryIdentifier] = "U022",
        [UnsupportedCurrency] = "U023",
        [UnsupportedEventType] = "U024",
        [UnsupportedFrequency] = "U025",
        [UnsupportedLocalInstrument] = "U026",
        [UnsupportedScheme] = "U027",
        [Reauthenticate] = "U028",
        [ResourceAlreadyExists] = "U029",
        [RulesResourceAlreadyExists] = "U029",
    };

    /// <summary>The code as <paramref name="version"/> writes it.</summary>
    public static string For(string code, ApiVersion version)
        => version == ApiVersion.V4_0 && V4Codes.TryGetValue(code, out var v4) ? v4 : code;
}

/// <summary>One error of an <see cref="ObErrorResponse"/> (OBError1).</summary>
public sealed record ObError(
    string ErrorCode,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Path = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Url = null);

/// <summary>The OBErrorResponse1 body of every v3.1.11 bank-API error that has one.</summary>
public sealed record ObErrorResponse(
    string Code,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    string Message,
    IReadOnlyList<ObError> Errors);

/// <summary>
/// The OBErrorResponse1 body of v4.0: only <c>Errors</c> is required and <c>Code</c>/<c>Message</c> are deprecated, so
/// they are left out; <c>Id</c> is kept for the errors support must trace (500s).
/// </summary>
public sealed record ObErrorResponseV4(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Id,
    IReadOnlyList<ObError> Errors);

/// <summary>
/// A refusal of a bank-API request. Thrown anywhere in a request and turned into the OBIE error body in one place
/// (<see cref="ObieExceptionHandler"/>), so handlers never build error bodies themselves.
/// </summary>
public sealed class ObieException(int statusCode, string message, IReadOnlyList<ObError> errors) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public IReadOnlyList<ObError> Errors { get; } = errors;

    /// <summary>
    /// The refusal's rule for the gateway's call log (<c>consent.revoked</c>, <c>bank.field</c>, …); null: the exception
    /// handler derives it from the error (<see cref="BankRefusals"/>).
    /// </summary>
    public string? RefusalRule { get; private set; }

    /// <summary>The refusal in words for the partner (no names, account numbers or tokens); null: derived from the errors.</summary>
    public string? RefusalReason { get; private set; }

    /// <summary>Names the refusal's rule and reason (the <c>x-ob-refusal-rule</c> and <c>x-ob-refusal-reason</c> headers).</summary>
    public ObieException Because(string rule, string reason)
    {
        RefusalRule = rule;
        RefusalReason = reason;
        return this;
    }

    public static ObieException BadRequest(params ObError[] errors)
        => new(StatusCodes.Status400BadRequest, "The request is not valid; see Errors.", errors);

    public static ObieException NotFound(string what, string id)
        => BadRequest(new ObError(ObieErrorCodes.ResourceNotFound, $"No {what} has the id '{id}'."));

    /// <summary>403 without a body, as the specification's examples give it (the body is optional).</summary>
    public static ObieException Forbidden(string reason)
        => new(StatusCodes.Status403Forbidden, reason, []);
}
