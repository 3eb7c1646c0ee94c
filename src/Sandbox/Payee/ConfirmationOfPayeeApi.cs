using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Tenancy;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Payee;

/// <summary>
/// Confirmation of Payee for partners, in Pay.UK's shape: <c>POST /confirmation-of-payee/v1/accounts/name-verify</c>
/// through the gateway with an app's client-credentials token (scope payments). The partner's own sandbox bank
/// answers — its accounts and the seeded directory of other banks — never another partner's. Bad input is a
/// validation problem naming every field at fault.
/// </summary>
public static class ConfirmationOfPayeeApi
{
    public const string Path = "/confirmation-of-payee/v1/accounts/name-verify";

    public const int MaxNameLength = 140;

    public const int MaxSecondaryIdentificationLength = 18;

    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = true,
    };

    public static IHostApplicationBuilder AddConfirmationOfPayee(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(_ => PayeeDirectory.Seeded());
        builder.Services.AddSingleton<PayeeChecks>();
        return builder;
    }

    public static IEndpointRouteBuilder MapConfirmationOfPayeeApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, VerifyNameAsync)
            .WithTags("Confirmation of Payee")
            .WithName("VerifyPayeeName")
            .WithSummary("Does the name match the account? Pay.UK Confirmation of Payee against the partner's sandbox bank and the seeded directory.")
            .RequireAuthorization(PlatformScopes.Payments)
            .Produces<NameVerifyResponse>()
            .ProducesValidationProblem();
        return app;
    }

    /// <param name="SchemeName">SortCodeAccountNumber (also accepted as UK.OBIE.SortCodeAccountNumber).</param>
    /// <param name="AccountType">Personal or Business: the kind of account the payer expects.</param>
    /// <param name="Identification">The 6-digit sort code then the 8-digit account number.</param>
    /// <param name="Name">The name the payer gave for the account holder.</param>
    /// <param name="SecondaryIdentification">A building society roll number, when the account has one.</param>
    public sealed record NameVerifyData(string? SchemeName, string? AccountType, string? Identification, string? Name, string? SecondaryIdentification);

    public sealed record NameVerifyRequest(NameVerifyData? Data);

    /// <param name="Matched">True only when the name and the account type both match.</param>
    /// <param name="ReasonCode">Why not (ANNM, MBAM, BANM, PANM, BAMM, PAMM, AC01, IVCR, ACNS, OPTO, CASS, SCNS); absent on a match.</param>
    /// <param name="Name">The name on the account, for a close match or an account-type mismatch only.</param>
    public sealed record VerificationReport(
        bool Matched,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReasonCode,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name);

    public sealed record NameVerifyResult(VerificationReport VerificationReport);

    public sealed record NameVerifyResponse(NameVerifyResult Data);

    public static async Task<Results<Ok<NameVerifyResponse>, ValidationProblem>> VerifyNameAsync(
        HttpContext http, TenantService tenants, PayeeChecks checks, SandboxDbContext db, CancellationToken ct)
    {
        NameVerifyRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<NameVerifyRequest>(http.Request.Body, RequestJson, ct);
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body?.Data is not { } data)
        {
            return Invalid(new()
            {
                ["Data"] = ["The body must be JSON such as {\"Data\": {\"SchemeName\": \"SortCodeAccountNumber\", \"AccountType\": \"Personal\", \"Identification\": \"30963412345678\", \"Name\": \"John Smith\"}}."],
            });
        }

        var (query, errors) = Validate(data);
        if (query is null)
        {
            return Invalid(errors);
        }

        var tenant = await tenants.GetOrCreateAsync(CallerContext.From(http.User).OrganisationId, ct);
        var check = await checks.CheckAsync(db, tenant.Id, query, ct);
        return TypedResults.Ok(new NameVerifyResponse(new NameVerifyResult(new VerificationReport(check.Matched, check.ReasonCode, check.Name))));
    }

    /// <summary>The question, or every field at fault in words.</summary>
    public static (PayeeQuery? Query, Dictionary<string, string[]> Errors) Validate(NameVerifyData data)
    {
        var errors = new Dictionary<string, string[]>();
        if (data.SchemeName is not ("SortCodeAccountNumber" or PayeeChecks.SortCodeScheme))
        {
            errors["Data.SchemeName"] = ["SchemeName must be SortCodeAccountNumber: Confirmation of Payee checks UK sort code and account numbers only."];
        }

        PayeeAccountType? type = data.AccountType switch
        {
            "Personal" => PayeeAccountType.Personal,
            "Business" => PayeeAccountType.Business,
            _ => null,
        };
        if (type is null)
        {
            errors["Data.AccountType"] = ["AccountType must be Personal or Business."];
        }

        var identification = data.Identification?.Trim() ?? string.Empty;
        if (identification.Length != 14 || !identification.All(char.IsAsciiDigit))
        {
            errors["Data.Identification"] = ["Identification must be 14 digits: the 6-digit sort code then the 8-digit account number, without spaces or dashes."];
        }

        var name = data.Name?.Trim() ?? string.Empty;
        if (name.Length == 0)
        {
            errors["Data.Name"] = ["Name is required: the account holder's name as the payer gave it."];
        }
        else if (name.Length > MaxNameLength)
        {
            errors["Data.Name"] = [$"Name must be at most {MaxNameLength} characters."];
        }
        else if (NameMatcher.Words(name).Length == 0)
        {
            errors["Data.Name"] = ["Name must contain letters or digits."];
        }

        if (data.SecondaryIdentification is { Length: > MaxSecondaryIdentificationLength })
        {
            errors["Data.SecondaryIdentification"] = [$"SecondaryIdentification (a roll number) must be at most {MaxSecondaryIdentificationLength} characters."];
        }

        return errors.Count > 0
            ? (null, errors)
            : (new PayeeQuery(identification[..6], identification[6..], name, type, string.IsNullOrWhiteSpace(data.SecondaryIdentification) ? null : data.SecondaryIdentification.Trim()), errors);
    }

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors)
        => TypedResults.ValidationProblem(errors, title: "The name could not be checked", detail: "Correct the fields named in errors and send it again.");
}
