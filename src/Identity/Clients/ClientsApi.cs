using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Identity.Extensions;
using OpenBanking.Identity.Infrastructure;
using OpenBanking.Shared;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenBanking.Identity.Clients;

/// <summary>
/// The Portal's API for partner apps (OAuth clients): create, read, change, rotate the secret, suspend, delete, and
/// the audit trail of all of it. Only for tokens with audience <c>identity</c> and scope <c>identity.clients</c>.
/// Only partner apps (with an organisation) are visible here: the platform's own service clients are not.
/// </summary>
public static class ClientsApi
{
    public static RouteGroupBuilder MapClientsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/internal/clients")
            .RequireAuthorization(ClientManagementExtensions.PolicyName)
            .AddEndpointFilter(ConflictOnConcurrentChangeAsync)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithTags("Clients");

        api.MapPost("/", CreateClientAsync).WithName("CreateClient").WithSummary("Register a partner app; its secret is shown only in this answer");
        api.MapGet("/", ListClientsAsync).WithName("ListClients").WithSummary("List partner apps, optionally of one organisation");
        api.MapGet("/{clientId}", GetClientAsync).WithName("GetClient").WithSummary("Read a partner app (never its secret)");
        api.MapPut("/{clientId}", ReplaceClientAsync).WithName("ReplaceClient").WithSummary("Replace a partner app's name, redirect URIs, scopes and keys");
        api.MapPatch("/{clientId}", UpdateClientAsync).WithName("UpdateClient").WithSummary("Change some of a partner app's name, redirect URIs, scopes and keys");
        api.MapDelete("/{clientId}", DeleteClientAsync).WithName("DeleteClient").WithSummary("Delete a partner app and revoke its tokens and authorizations");
        api.MapPost("/{clientId}/secret", RotateSecretAsync).WithName("RotateClientSecret").WithSummary("Replace the secret; the old one stops working at once");
        api.MapPost("/{clientId}/suspend", SuspendClientAsync).WithName("SuspendClient").WithSummary("Stop a partner app getting tokens and revoke its tokens");
        api.MapPost("/{clientId}/reactivate", ReactivateClientAsync).WithName("ReactivateClient").WithSummary("Let a suspended partner app get tokens again");
        api.MapGet("/{clientId}/audit", GetAuditAsync).WithName("GetClientAudit").WithSummary("The changes made to a partner app, oldest first");

        // The Sandbox reads an app's message-signing keys and flags here (scope identity.clients.read): a read-only
        // scope of its own, so the bank never holds a token that could change apps.
        app.MapGet("/internal/clients/{clientId}/security", GetSecurityProfileAsync)
            .RequireAuthorization(ClientManagementExtensions.ReadPolicyName)
            .WithTags("Clients")
            .WithName("GetClientSecurityProfile")
            .WithSummary("A partner app's message-signing keys and its signing and DPoP requirements, for the services that enforce them");

        return api;
    }

    public static async Task<Results<Created<CreatedClientResponse>, ValidationProblem>> CreateClientAsync(
        CreateClientRequest request, [AsParameters] ClientServices services)
    {
        var check = new ClientValidation(services.Environment.IsDevelopment());
        var name = check.Name(request.Name, required: true);
        var organisationId = check.OrganisationId(request.OrganisationId);
        var organisationName = check.OrganisationName(request.OrganisationName);
        var redirectUris = check.RedirectUris(request.RedirectUris, required: true);
        var scopes = check.Scopes(request.Scopes, required: true);
        var authMethod = check.AuthMethod(request.AuthMethod);
        var jwks = check.Jwks(request.Jwks, authMethod, required: true);
        var signingJwks = check.MessageSigningJwks(request.MessageSigningJwks);
        if (!check.IsValid)
        {
            return TypedResults.ValidationProblem(check.Errors);
        }

        var clientId = "app_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var secret = authMethod == ClientAuthMethods.ClientSecretBasic ? NewSecret() : null;
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Explicit,
            DisplayName = name,
            JsonWebKeySet = jwks,
        };
        descriptor.RedirectUris.UnionWith(redirectUris!);
        PartnerClientPermissions.Apply(descriptor, scopes!);
        PartnerClientProperties.Set(descriptor, PartnerClientProperties.OrganisationId, organisationId);
        PartnerClientProperties.Set(descriptor, PartnerClientProperties.OrganisationName, organisationName);
        PartnerClientProperties.Set(descriptor, PartnerClientProperties.Suspended, false);
        PartnerClientProperties.Set(descriptor, PartnerClientProperties.CreatedAt, services.Clock.GetUtcNow());
        // New apps sign their payment requests unless they say otherwise (issue 19); DPoP is opt-in.
        PartnerClientProperties.Set(descriptor, PartnerClientProperties.RequireSignedRequests, request.RequireSignedRequests ?? true);
        PartnerClientProperties.Set(descriptor, PartnerClientProperties.RequireDpop, request.RequireDpop ?? false);
        if (signingJwks is not null)
        {
            SetSigningKeys(descriptor, signingJwks.Value, services.Clock);
        }

        await services.InTransactionAsync(async ct =>
        {
            await services.Applications.CreateAsync(descriptor, ct);
            services.Audit(ClientAuditActions.Created, clientId, organisationId, new
            {
                name,
                organisationName,
                redirectUris = redirectUris!.Select(u => u.AbsoluteUri),
                scopes,
                authMethod,
                hasJwks = jwks is not null,
                requireSignedRequests = request.RequireSignedRequests ?? true,
                requireDpop = request.RequireDpop ?? false,
                messageSigningKeys = signingJwks is null ? null : KidsOf(signingJwks),
            });
        });

        var response = ToResponse(descriptor, authMethod!);
        return TypedResults.Created($"/internal/clients/{Uri.EscapeDataString(clientId)}", new CreatedClientResponse(clientId, secret, response));
    }

    public static async Task<Ok<List<ClientResponse>>> ListClientsAsync(
        string? organisationId, IdentityDbContext db, IOpenIddictApplicationManager applications, CancellationToken cancellationToken)
    {
        // Properties is a JSON column: narrow in SQL, then decide exactly on the parsed properties.
        var needle = organisationId is null
            ? $"\"{PartnerClientProperties.OrganisationId}\":"
            : $"\"{PartnerClientProperties.OrganisationId}\":{JsonSerializer.Serialize(organisationId)}";
        var candidates = await db.Set<OpenIddictEntityFrameworkCoreApplication>()
            .AsNoTracking()
            .Where(a => a.Properties != null && a.Properties.Contains(needle))
            .ToListAsync(cancellationToken);

        var clients = new List<ClientResponse>();
        foreach (var application in candidates)
        {
            var descriptor = new OpenIddictApplicationDescriptor();
            await applications.PopulateAsync(descriptor, application, cancellationToken);
            var properties = PartnerClientProperties.Of(descriptor);
            if (PartnerClientProperties.IsPartner(properties)
                && (organisationId is null || PartnerClientProperties.GetString(properties, PartnerClientProperties.OrganisationId) == organisationId))
            {
                clients.Add(ToResponse(descriptor));
            }
        }

        return TypedResults.Ok(clients.OrderBy(c => c.CreatedAt).ThenBy(c => c.ClientId, StringComparer.Ordinal).ToList());
    }

    public static async Task<Results<Ok<ClientResponse>, ProblemHttpResult>> GetClientAsync(
        string clientId, IOpenIddictApplicationManager applications, CancellationToken cancellationToken)
    {
        var client = await FindPartnerAsync(applications, clientId, cancellationToken);
        return client is null ? NotFound(clientId) : TypedResults.Ok(ToResponse(client.Value.Descriptor));
    }

    public static async Task<Results<Ok<AppSecurityProfile>, ProblemHttpResult>> GetSecurityProfileAsync(
        string clientId, IOpenIddictApplicationManager applications, CancellationToken cancellationToken)
    {
        if (await FindPartnerAsync(applications, clientId, cancellationToken) is not (_, var descriptor))
        {
            return NotFound(clientId);
        }

        var properties = PartnerClientProperties.Of(descriptor);
        return TypedResults.Ok(new AppSecurityProfile(
            clientId,
            PartnerClientProperties.GetString(properties, PartnerClientProperties.OrganisationId)!,
            PartnerClientProperties.GetBool(properties, PartnerClientProperties.RequireSignedRequests),
            PartnerClientProperties.GetBool(properties, PartnerClientProperties.RequireDpop),
            SigningJwksOf(properties),
            PartnerClientProperties.GetDateTimeOffset(properties, PartnerClientProperties.MessageSigningKeysUpdatedAt)));
    }

    public static Task<Results<Ok<ClientResponse>, ValidationProblem, ProblemHttpResult>> ReplaceClientAsync(
        string clientId, UpdateClientRequest request, [AsParameters] ClientServices services)
        => ChangeClientAsync(clientId, request, replace: true, services);

    public static Task<Results<Ok<ClientResponse>, ValidationProblem, ProblemHttpResult>> UpdateClientAsync(
        string clientId, UpdateClientRequest request, [AsParameters] ClientServices services)
        => ChangeClientAsync(clientId, request, replace: false, services);

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteClientAsync(
        string clientId, [AsParameters] ClientServices services)
    {
        if (await FindPartnerAsync(services.Applications, clientId, services.CancellationToken) is not (var application, var descriptor))
        {
            return NotFound(clientId);
        }

        await services.InTransactionAsync(async ct =>
        {
            // Revoke first so that nothing issued to the app stays usable even if the delete is retried or fails.
            var (tokens, authorizations) = await RevokeGrantsAsync(services, application, ct);
            await services.Applications.DeleteAsync(application, ct);
            services.Audit(ClientAuditActions.Deleted, clientId, OrganisationOf(descriptor), new
            {
                name = descriptor.DisplayName,
                revokedTokens = tokens,
                revokedAuthorizations = authorizations,
            });
        });

        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<ClientSecretResponse>, ProblemHttpResult>> RotateSecretAsync(
        string clientId, [AsParameters] ClientServices services)
    {
        if (await FindPartnerAsync(services.Applications, clientId, services.CancellationToken) is not (var application, var descriptor))
        {
            return NotFound(clientId);
        }

        if (AuthMethodOf(descriptor) != ClientAuthMethods.ClientSecretBasic)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The client has no secret",
                detail: "This client authenticates with private_key_jwt; change its keys instead.");
        }

        // A new stored hash: the verified-secret cache is keyed by it, so the old secret cannot be served from there.
        var secret = NewSecret();
        await services.InTransactionAsync(async ct =>
        {
            await services.Applications.UpdateAsync(application, secret, ct);
            services.Audit(ClientAuditActions.SecretRotated, clientId, OrganisationOf(descriptor), null);
        });

        return TypedResults.Ok(new ClientSecretResponse(clientId, secret));
    }

    public static Task<Results<Ok<ClientResponse>, ProblemHttpResult>> SuspendClientAsync(
        string clientId, [AsParameters] ClientServices services)
        => SetSuspendedAsync(clientId, suspended: true, services);

    public static Task<Results<Ok<ClientResponse>, ProblemHttpResult>> ReactivateClientAsync(
        string clientId, [AsParameters] ClientServices services)
        => SetSuspendedAsync(clientId, suspended: false, services);

    public static async Task<Results<Ok<List<ClientAuditEntryResponse>>, ProblemHttpResult>> GetAuditAsync(
        string clientId, IdentityDbContext db, IOpenIddictApplicationManager applications, CancellationToken cancellationToken)
    {
        // The trail outlives the app: a deleted app's entries are still there.
        var entries = await db.ClientAudit.AsNoTracking()
            .Where(e => e.ClientId == clientId)
            .OrderBy(e => e.Id)
            .Select(e => new { e.At, e.Actor, e.ActingUser, e.ClientId, e.OrganisationId, e.Action, e.Details })
            .ToListAsync(cancellationToken);
        if (entries.Count == 0 && await FindPartnerAsync(applications, clientId, cancellationToken) is null)
        {
            return NotFound(clientId);
        }

        return TypedResults.Ok(entries.Select(e => new ClientAuditEntryResponse(
            e.At, e.Actor, e.ActingUser, e.ClientId, e.OrganisationId, e.Action,
            e.Details is null ? null : JsonSerializer.Deserialize<JsonElement>(e.Details))).ToList());
    }

    // Two writers on one app (OpenIddict's concurrency token): the loser is told to re-read, not given a 500.
    private static async ValueTask<object?> ConflictOnConcurrentChangeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (OpenIddictExceptions.ConcurrencyException)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Concurrent change",
                detail: "The client was changed by another request; read it again and retry.");
        }
    }

    private static async Task<Results<Ok<ClientResponse>, ValidationProblem, ProblemHttpResult>> ChangeClientAsync(
        string clientId, UpdateClientRequest request, bool replace, ClientServices services)
    {
        if (await FindPartnerAsync(services.Applications, clientId, services.CancellationToken) is not (var application, var descriptor))
        {
            return NotFound(clientId);
        }

        var authMethod = AuthMethodOf(descriptor);
        var check = new ClientValidation(services.Environment.IsDevelopment());
        var name = check.Name(request.Name, required: replace);
        var redirectUris = check.RedirectUris(request.RedirectUris, required: replace);
        var scopes = check.Scopes(request.Scopes, required: replace);
        var jwks = check.Jwks(request.Jwks, authMethod, required: replace);
        var organisationName = request.OrganisationName is null ? null : check.OrganisationName(request.OrganisationName);
        var signingJwks = check.MessageSigningJwks(request.MessageSigningJwks);
        if (!check.IsValid)
        {
            return TypedResults.ValidationProblem(check.Errors);
        }

        if (name is not null)
        {
            descriptor.DisplayName = name;
        }

        if (organisationName is not null)
        {
            PartnerClientProperties.Set(descriptor, PartnerClientProperties.OrganisationName, organisationName);
        }

        if (redirectUris is not null)
        {
            descriptor.RedirectUris.Clear();
            descriptor.RedirectUris.UnionWith(redirectUris);
        }

        if (scopes is not null)
        {
            PartnerClientPermissions.Apply(descriptor, scopes);
        }

        if (jwks is not null)
        {
            descriptor.JsonWebKeySet = jwks;
        }

        // The security settings are optional in PUT as in PATCH (absent = unchanged): a form that edits the name must
        // not switch message signing off or drop the keys by leaving them out.
        var properties = PartnerClientProperties.Of(descriptor);
        var requireSigned = Changed(properties, PartnerClientProperties.RequireSignedRequests, request.RequireSignedRequests);
        if (requireSigned is not null)
        {
            PartnerClientProperties.Set(descriptor, PartnerClientProperties.RequireSignedRequests, requireSigned.Value);
        }

        var requireDpop = Changed(properties, PartnerClientProperties.RequireDpop, request.RequireDpop);
        if (requireDpop is not null)
        {
            PartnerClientProperties.Set(descriptor, PartnerClientProperties.RequireDpop, requireDpop.Value);
        }

        if (signingJwks is not null)
        {
            SetSigningKeys(descriptor, signingJwks.Value, services.Clock);
        }

        try
        {
            await services.InTransactionAsync(async ct =>
            {
                await services.Applications.UpdateAsync(application, descriptor, ct);
                services.Audit(ClientAuditActions.Updated, clientId, OrganisationOf(descriptor), new
                {
                    name,
                    organisationName,
                    redirectUris = redirectUris?.Select(u => u.AbsoluteUri),
                    scopes,
                    jwksReplaced = jwks is not null,
                    requireSignedRequests = requireSigned,
                    requireDpop,
                    messageSigningKeys = signingJwks is null ? null : KidsOf(signingJwks),
                });
            });
        }
        catch (ValidationException exception)
        {
            // Our checks mirror OpenIddict's; should they ever drift, the caller still gets a 400, not a 500.
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["client"] = [exception.Message] });
        }

        return TypedResults.Ok(ToResponse(descriptor));
    }

    private static async Task<Results<Ok<ClientResponse>, ProblemHttpResult>> SetSuspendedAsync(
        string clientId, bool suspended, ClientServices services)
    {
        if (await FindPartnerAsync(services.Applications, clientId, services.CancellationToken) is not (var application, var descriptor))
        {
            return NotFound(clientId);
        }

        if (PartnerClientProperties.IsSuspended(PartnerClientProperties.Of(descriptor)) == suspended)
        {
            return TypedResults.Ok(ToResponse(descriptor));
        }

        PartnerClientProperties.Set(descriptor, PartnerClientProperties.Suspended, suspended);
        await services.InTransactionAsync(async ct =>
        {
            // The token endpoint reads the flag from the application row it loads anyway, so this takes effect on
            // the next request in every instance. Reactivation does not bring revoked tokens back.
            await services.Applications.UpdateAsync(application, descriptor, ct);
            if (suspended)
            {
                var (tokens, authorizations) = await RevokeGrantsAsync(services, application, ct);
                services.Audit(ClientAuditActions.Suspended, clientId, OrganisationOf(descriptor), new { revokedTokens = tokens, revokedAuthorizations = authorizations });
            }
            else
            {
                services.Audit(ClientAuditActions.Reactivated, clientId, OrganisationOf(descriptor), null);
            }
        });

        return TypedResults.Ok(ToResponse(descriptor));
    }

    private static async Task<(long Tokens, long Authorizations)> RevokeGrantsAsync(ClientServices services, object application, CancellationToken cancellationToken)
    {
        var id = await services.Applications.GetIdAsync(application, cancellationToken)
            ?? throw new InvalidOperationException("The application has no id.");
        var tokens = await services.Tokens.RevokeByApplicationIdAsync(id, cancellationToken);
        var authorizations = await services.Authorizations.RevokeByApplicationIdAsync(id, cancellationToken);
        return (tokens, authorizations);
    }

    private static async Task<(object Application, OpenIddictApplicationDescriptor Descriptor)?> FindPartnerAsync(
        IOpenIddictApplicationManager applications, string clientId, CancellationToken cancellationToken)
    {
        var application = await applications.FindByClientIdAsync(clientId, cancellationToken);
        if (application is null)
        {
            return null;
        }

        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, application, cancellationToken);

        // FindByClientIdAsync may match case-insensitively (collation); client ids are exact.
        return descriptor.ClientId == clientId && PartnerClientProperties.IsPartner(PartnerClientProperties.Of(descriptor))
            ? (application, descriptor)
            : null;
    }

    private static ClientResponse ToResponse(OpenIddictApplicationDescriptor descriptor, string? authMethod = null)
    {
        var properties = PartnerClientProperties.Of(descriptor);
        return new ClientResponse(
            descriptor.ClientId!,
            descriptor.DisplayName ?? descriptor.ClientId!,
            PartnerClientProperties.GetString(properties, PartnerClientProperties.OrganisationId)!,
            PartnerClientProperties.GetString(properties, PartnerClientProperties.OrganisationName),
            descriptor.RedirectUris.Select(u => u.AbsoluteUri).Order(StringComparer.Ordinal).ToList(),
            PartnerClientPermissions.ScopesOf(descriptor),
            authMethod ?? AuthMethodOf(descriptor),
            descriptor.JsonWebKeySet is { Keys.Count: > 0 },
            PartnerClientProperties.IsSuspended(properties),
            PartnerClientProperties.GetCreatedAt(properties),
            PartnerClientProperties.GetBool(properties, PartnerClientProperties.RequireSignedRequests),
            PartnerClientProperties.GetBool(properties, PartnerClientProperties.RequireDpop),
            MessageSigningKeys.Views(SigningJwksOf(properties)),
            PartnerClientProperties.GetDateTimeOffset(properties, PartnerClientProperties.MessageSigningKeysUpdatedAt));
    }

    private static JsonElement? SigningJwksOf(IReadOnlyDictionary<string, JsonElement> properties)
        => properties.TryGetValue(PartnerClientProperties.MessageSigningJwks, out var set) && set.ValueKind == JsonValueKind.Object ? set : null;

    private static void SetSigningKeys(OpenIddictApplicationDescriptor descriptor, JsonElement set, TimeProvider clock)
    {
        PartnerClientProperties.Set(descriptor, PartnerClientProperties.MessageSigningJwks, set);
        PartnerClientProperties.Set(descriptor, PartnerClientProperties.MessageSigningKeysUpdatedAt, clock.GetUtcNow());
    }

    // The audit names the keys by kid and thumbprint: enough to tell which key was added or removed, nothing secret.
    private static List<object> KidsOf(JsonElement? set)
        => MessageSigningKeys.Views(set).Select(k => (object)new { k.Kid, k.Thumbprint }).ToList();

    // Null when the request leaves the flag alone or sets it to the value it has (no entry for a no-op).
    private static bool? Changed(IReadOnlyDictionary<string, JsonElement> properties, string name, bool? requested)
        => requested is { } value && (value != PartnerClientProperties.GetBool(properties, name) || !properties.ContainsKey(name)) ? value : null;

    // A partner app has either a secret (client_secret_basic) or only keys (private_key_jwt); the API never gives both.
    private static string AuthMethodOf(OpenIddictApplicationDescriptor descriptor)
        => string.IsNullOrEmpty(descriptor.ClientSecret) ? ClientAuthMethods.PrivateKeyJwt : ClientAuthMethods.ClientSecretBasic;

    private static string? OrganisationOf(OpenIddictApplicationDescriptor descriptor)
        => PartnerClientProperties.GetString(PartnerClientProperties.Of(descriptor), PartnerClientProperties.OrganisationId);

    // 32 random bytes, base64url: 256 bits, safe in a Basic header and a URL.
    private static string NewSecret() => Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    private static string Base64UrlEncode(byte[] bytes)
        => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static ProblemHttpResult NotFound(string clientId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Client not found",
        detail: $"No partner app has the client id '{clientId}'.");
}

/// <summary>What the writing endpoints share: OpenIddict's managers, the database for the audit trail, the caller.</summary>
public sealed record ClientServices(
    IOpenIddictApplicationManager Applications,
    IOpenIddictTokenManager Tokens,
    IOpenIddictAuthorizationManager Authorizations,
    IdentityDbContext Db,
    TimeProvider Clock,
    IHostEnvironment Environment,
    HttpContext HttpContext,
    CancellationToken CancellationToken)
{
    internal void Audit(string action, string clientId, string? organisationId, object? details)
        => ClientAudit.Record(Db, HttpContext, Clock, action, clientId, organisationId, details);

    /// <summary>
    /// The OpenIddict change and its audit row commit together. Through the execution strategy because SQL Server's
    /// retrying strategy refuses a transaction opened outside it.
    /// </summary>
    internal Task InTransactionAsync(Func<CancellationToken, Task> work)
        => Db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await Db.Database.BeginTransactionAsync(CancellationToken);
            await work(CancellationToken);
            await Db.SaveChangesAsync(CancellationToken);
            await transaction.CommitAsync(CancellationToken);
        });
}
