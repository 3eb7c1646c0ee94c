using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Customers.Custom;

/// <summary>
/// Partners' own test customers as an API: <c>/sandbox/v1/customers</c> for the partner's tests (through the gateway,
/// any of the app's client-credentials tokens, its organisation from the token), and the Portal's twins under
/// <c>/internal/tenants/{organisationId}/customers</c>. Errors are problem details; a refused create is a validation
/// problem naming every field at fault.
/// </summary>
public static partial class CustomersApi
{
    public const string PublicPath = "/sandbox/v1/customers";

    /// <summary>The request's JSON: names as documented (PascalCase) in any case; a name the request does not have is refused.</summary>
    private static readonly JsonSerializerOptions RequestJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder app)
    {
        var partner = app.MapGroup(PublicPath).WithTags("Sandbox customers").RequireAuthorization(ClockApi.SandboxControl);
        partner.MapPost("", CreateForCallerAsync).WithName("CreateSandboxCustomer");
        partner.MapGet("", ListForCallerAsync).WithName("ListSandboxCustomers");
        partner.MapGet("/{customerId}", GetForCallerAsync).WithName("GetSandboxCustomer");
        partner.MapDelete("/{customerId}", DeleteForCallerAsync).WithName("DeleteSandboxCustomer");

        var internalApi = app.MapGroup("/internal/tenants/{organisationId}/customers").WithTags("Internal")
            .RequireAuthorization(PlatformScopes.SandboxInternal);
        internalApi.MapPost("", CreateAsync).WithName("CreateTestCustomer");
        internalApi.MapDelete("/{customerId}", DeleteAsync).WithName("DeleteTestCustomer");
        return app;
    }

    public static Task<Results<Created<CreatedCustomer>, ValidationProblem>> CreateForCallerAsync(HttpContext http, CustomCustomers customers, CancellationToken ct)
    {
        var caller = CallerContext.From(http.User);
        return CreateCoreAsync(caller.OrganisationId, caller.ClientId, http, customers, ct);
    }

    public static async Task<Ok<IReadOnlyList<CreatedCustomer>>> ListForCallerAsync(HttpContext http, CustomCustomers customers, CancellationToken ct)
        => TypedResults.Ok(await customers.ListAsync(CallerContext.From(http.User).OrganisationId, ct));

    public static async Task<Results<Ok<CreatedCustomer>, ProblemHttpResult>> GetForCallerAsync(
        string customerId, HttpContext http, CustomCustomers customers, CancellationToken ct)
        => await customers.GetAsync(CallerContext.From(http.User).OrganisationId, customerId, ct) is { } customer
            ? TypedResults.Ok(customer)
            : NotFound(customerId);

    public static Task<Results<NoContent, ProblemHttpResult>> DeleteForCallerAsync(string customerId, HttpContext http, CustomCustomers customers, CancellationToken ct)
        => DeleteAsync(CallerContext.From(http.User).OrganisationId, customerId, customers, ct);

    public static Task<Results<Created<CreatedCustomer>, ValidationProblem>> CreateAsync(
        string organisationId, HttpContext http, CustomCustomers customers, CancellationToken ct)
        => CreateCoreAsync(organisationId, null, http, customers, ct);

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string organisationId, string customerId, CustomCustomers customers, CancellationToken ct)
        => await customers.DeleteAsync(organisationId, customerId, ct) switch
        {
            CustomCustomers.DeleteResult.Deleted => TypedResults.NoContent(),
            CustomCustomers.DeleteResult.Persona => TypedResults.Problem(
                "This is one of the sandbox's built-in test customers; only customers you created can be deleted (a reset restores the built-in ones).",
                statusCode: StatusCodes.Status409Conflict, title: "Built-in test customers cannot be deleted"),
            _ => NotFound(customerId),
        };

    private static async Task<Results<Created<CreatedCustomer>, ValidationProblem>> CreateCoreAsync(
        string organisationId, string? clientId, HttpContext http, CustomCustomers customers, CancellationToken ct)
    {
        var (request, unreadable) = await ReadAsync(http.Request, ct);
        if (request is null)
        {
            return Invalid(unreadable!);
        }

        return await customers.CreateAsync(organisationId, request, clientId, ct) switch
        {
            CustomCustomers.Created created => TypedResults.Created($"{PublicPath}/{created.Customer.CustomerId}", created.Customer),
            CustomCustomers.Invalid invalid => Invalid(invalid.Errors),
            _ => throw new InvalidOperationException("Unknown create result."),
        };
    }

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors)
        => TypedResults.ValidationProblem(errors, title: "The test customer was not created", detail: "Correct the fields named in errors and send it again.");

    private static ProblemHttpResult NotFound(string customerId)
        => TypedResults.Problem($"This sandbox has no test customer with the id \"{customerId}\".", statusCode: StatusCodes.Status404NotFound, title: "No such test customer");

    /// <summary>The body as a request, or what is wrong with its JSON (keyed by where, as the field errors are).</summary>
    private static async Task<(CustomCustomerRequest? Request, Dictionary<string, string[]>? Errors)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        const string Example = "The body must be a JSON object such as {\"Username\": \"jo\", \"Name\": \"Jo Bloggs\", \"Accounts\": [{\"Currency\": \"GBP\", \"OpeningBalance\": \"100.00\"}]}";
        try
        {
            var body = await JsonSerializer.DeserializeAsync<CustomCustomerRequest>(request.Body, RequestJson, ct);
            return body is null ? (null, new() { ["body"] = [Example + "."] }) : (body, null);
        }
        catch (JsonException e)
        {
            var path = FieldPath(e.Path);
            if (UnknownProperty().Match(e.Message) is { Success: true } unknown)
            {
                return (null, new() { [path.Length == 0 ? "body" : path] = [$"\"{unknown.Groups[1].Value}\" is not a field here; see docs/sandbox-customers.md for the fields."] });
            }

            return (null, path.Length == 0
                ? new() { ["body"] = [Example + "; it is not valid JSON."] }
                : new() { [path] = ["This value has the wrong JSON type: text and amounts are strings (\"1500.00\"), Months is a number, lists are arrays."] });
        }
    }

    /// <summary>System.Text.Json's path (<c>$.Accounts[0].OpeningBalance</c>) as the field errors name it (<c>Accounts[0].OpeningBalance</c>).</summary>
    private static string FieldPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return string.Empty;
        }

        var trimmed = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        // Names as the documentation spells them, whatever case the request used.
        return PathName().Replace(trimmed, m => char.ToUpperInvariant(m.Value[0]) + m.Value[1..]);
    }

    [GeneratedRegex("JSON property '([^']*)'")]
    private static partial Regex UnknownProperty();

    [GeneratedRegex(@"(?<=^|\.)[a-z]")]
    private static partial Regex PathName();
}
