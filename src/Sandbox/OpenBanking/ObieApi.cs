using System.Text.Json;
using System.Text.Json.Serialization;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.OpenBanking;

/// <summary>Conventions shared by every Open Banking endpoint of the bank.</summary>
public static class ObieApi
{
    /// <summary>The base path of v3.1.11 (the V3_1 endpoints); v4.0's is <see cref="V4BasePath"/>.</summary>
    public const string BasePath = ApiVersions.V3_1_11BasePath;

    public const string V4BasePath = ApiVersions.V4_0BasePath;
    public const string InteractionIdHeader = PlatformHeaders.InteractionId;

    public const string ErrorCodeHeader = PlatformHeaders.ObieErrorCode;

    /// <summary>OBIE payloads: PascalCase as in the specification; absent optional fields are left out, never null.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Whether the request is for a bank API of any version.</summary>
    public static bool IsOpenBankingRequest(HttpRequest request) => ApiVersions.FromPath(request.Path) is not null;

    /// <summary>The version of the bank API the request is for (v3.1.11 for any other path).</summary>
    public static ApiVersion VersionOf(HttpRequest request) => ApiVersions.FromPath(request.Path) ?? ApiVersion.V3_1_11;

    public static string StatusCodeText(int statusCode) => statusCode switch
    {
        400 => "400 BadRequest",
        403 => "403 Forbidden",
        500 => "500 InternalServerError",
        _ => statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Echoes the caller's <c>x-fapi-interaction-id</c>, or gives a new UUID, on every bank-API response — errors and
    /// 401s included — and keeps it in the log scope so one id traces a call through the logs.
    /// </summary>
    public static IApplicationBuilder UseInteractionId(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("OpenBanking.Sandbox.Api");
        return app.Use(async (context, next) =>
        {
            if (!IsOpenBankingRequest(context.Request))
            {
                await next(context);
                return;
            }

            var sent = context.Request.Headers[InteractionIdHeader].ToString();
            var interactionId = IsAcceptable(sent) ? sent : Guid.NewGuid().ToString();
            context.Response.OnStarting(() =>
            {
                context.Response.Headers[InteractionIdHeader] = interactionId;
                return Task.CompletedTask;
            });

            using (logger.BeginScope(new Dictionary<string, object> { ["InteractionId"] = interactionId }))
            {
                await next(context);
            }
        });
    }

    /// <summary>
    /// Content negotiation of the bank APIs: a body must be JSON (this bank does not support JWE) → else 415, and the
    /// client must accept JSON → else 406. Both without a body, as the specification's 406/415 responses are.
    /// </summary>
    public static TBuilder WithObieContentNegotiation<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
        => builder.AddEndpointFilter(async (context, next) =>
        {
            var request = context.HttpContext.Request;
            if (!AcceptsJson(request))
            {
                return Results.StatusCode(StatusCodes.Status406NotAcceptable);
            }

            if ((HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method)) && !request.HasJsonContentType())
            {
                return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
            }

            return await next(context);
        });

    private static bool AcceptsJson(HttpRequest request)
    {
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return true;
        }

        return accept.Any(value => value.Quality is not 0 && (
            value.MediaType.Equals("*/*", StringComparison.OrdinalIgnoreCase)
            || value.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase)
            || value.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)));
    }

    // An interaction id is echoed into a response header and logs: take only short, printable ASCII values.
    private static bool IsAcceptable(string value)
        => value.Length is > 0 and <= 100 && value.All(c => c is > ' ' and < (char)127);
}
