using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Metadata;

namespace OpenBanking.Sandbox.Accounts;

/// <summary>
/// 200 with an account-information payload of either version, written by the build-time serializer of its version's
/// context (<see cref="V3_1.AisJsonContext"/>, <see cref="V4_0.AisV4JsonContext"/>) with its own options, so the
/// generated fast path writes straight to the response (no reflection metadata, no lookup in the application's JSON
/// options, no converters to consult). The type info is found once per payload type, never per request.
/// </summary>
public sealed class AisOk<TData>(AisResponse<TData> value)
    : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<AisResponse<TData>>, IEndpointMetadataProvider
{
    /// <summary>The payload's build-time metadata (also what <see cref="AisJson{TData}"/> serializes with).</summary>
    internal static readonly JsonTypeInfo<AisResponse<TData>> TypeInfo
        = (JsonTypeInfo<AisResponse<TData>>)(V3_1.AisJsonContext.Default.GetTypeInfo(typeof(AisResponse<TData>))
            ?? V4_0.AisV4JsonContext.Default.GetTypeInfo(typeof(AisResponse<TData>))
            ?? throw new InvalidOperationException($"No AisJsonContext knows {typeof(AisResponse<TData>)}."));

    public AisResponse<TData> Value => value;

    object? IValueHttpResult.Value => value;

    public int StatusCode => StatusCodes.Status200OK;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCode;
        return httpContext.Response.WriteAsJsonAsync(value, TypeInfo, contentType: null, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
        => builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(AisResponse<TData>), ["application/json"]));
}
