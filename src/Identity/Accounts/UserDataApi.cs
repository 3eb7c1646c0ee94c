using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Identity.Extensions;
using OpenBanking.Identity.Infrastructure;
using OpenBanking.Shared;
using OpenIddict.Abstractions;

namespace OpenBanking.Identity.Accounts;

/// <summary>
/// A partner user's rights over what Identity holds about them (GDPR articles 15, 17 and 20), served to the Portal,
/// which shows the person their data and takes their request: an export, and an erasure. Behind the service client's
/// audience and scope, like the status check: people reach it only through the Portal, signed in as themselves.
/// </summary>
public static partial class UserDataApi
{
    public static RouteGroupBuilder MapUserDataApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/internal/users")
            .RequireAuthorization(ClientManagementExtensions.PolicyName)
            .WithTags("Users");
        api.MapGet("/{subject}/export", ExportAsync).WithName("ExportUserData")
            .WithSummary("Everything Identity holds about a user (never secrets: no password hash, authenticator key or recovery codes)");
        api.MapDelete("/{subject}", EraseAsync).WithName("EraseUser")
            .WithSummary("Revokes the user's tokens and authorizations, pseudonymises the records that stay, deletes the account (idempotent)");
        return api;
    }

    public static async Task<Results<Ok<UserDataExport>, ProblemHttpResult>> ExportAsync(string subject, [AsParameters] UserDataServices services)
    {
        var ct = services.CancellationToken;
        var user = await services.Users.FindByIdAsync(subject);
        if (user is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "User not found",
                detail: "No account has this subject (it may have been erased).");
        }

        var email = Normalise(user.Email);
        var audit = await services.Db.ClientAudit.AsNoTracking()
            .Where(e => e.ActingUser != null && (e.ActingUser == email || e.ActingUser == user.Email || e.ActingUser == subject))
            .OrderBy(e => e.Id)
            .Select(e => new ClientAuditExport(e.At, e.Action, e.ClientId, e.OrganisationId, e.Details))
            .ToListAsync(ct);

        var authorizations = new List<AuthorizationExport>();
        await foreach (var authorization in services.Authorizations.FindBySubjectAsync(subject, ct))
        {
            authorizations.Add(new AuthorizationExport(
                await services.Authorizations.GetIdAsync(authorization, ct) ?? "",
                await ClientIdOfAsync(services, await services.Authorizations.GetApplicationIdAsync(authorization, ct), ct),
                await services.Authorizations.GetCreationDateAsync(authorization, ct),
                await services.Authorizations.GetStatusAsync(authorization, ct),
                await services.Authorizations.GetTypeAsync(authorization, ct),
                [.. await services.Authorizations.GetScopesAsync(authorization, ct)]));
        }

        var tokens = new List<TokenExport>();
        await foreach (var token in services.Tokens.FindBySubjectAsync(subject, ct))
        {
            tokens.Add(new TokenExport(
                await services.Tokens.GetIdAsync(token, ct) ?? "",
                await ClientIdOfAsync(services, await services.Tokens.GetApplicationIdAsync(token, ct), ct),
                await services.Tokens.GetTypeAsync(token, ct),
                await services.Tokens.GetStatusAsync(token, ct),
                await services.Tokens.GetCreationDateAsync(token, ct),
                await services.Tokens.GetExpirationDateAsync(token, ct)));
        }

        // Whether two-factor is set up and how many recovery codes are left, never the key or the codes themselves:
        // an export travels by download and mail, and those would be a second factor handed to whoever reads it.
        var account = new AccountExport(
            user.Id, user.UserName, user.Email, user.EmailConfirmed, user.DisplayName, user.CreatedAt, user.PhoneNumber, user.PhoneNumberConfirmed,
            user.TwoFactorEnabled, await services.Users.GetAuthenticatorKeyAsync(user) is not null, await services.Users.CountRecoveryCodesAsync(user),
            user.LockoutEnabled, user.LockoutEnd, user.AccessFailedCount,
            [.. await services.Users.GetRolesAsync(user)],
            [.. (await services.Users.GetLoginsAsync(user)).Select(l => new LoginExport(l.LoginProvider, l.ProviderDisplayName))],
            [.. (await services.Users.GetClaimsAsync(user)).Select(c => new ClaimExport(c.Type, c.Value))]);

        return TypedResults.Ok(new UserDataExport(services.Clock.GetUtcNow(), account, authorizations, tokens, audit));
    }

    /// <summary>
    /// Ends everything the account can still do, then removes it. Each step is safe to repeat and the account row goes
    /// last, so a failure half-way leaves a retry everything it needs (the address to find the audit rows by). Revoked
    /// authorizations and tokens keep only the subject, an id nothing maps to a person once the account is gone;
    /// OpenIddict's pruning removes them later.
    /// </summary>
    public static async Task<Results<Ok<UserErasure>, ProblemHttpResult>> EraseAsync(string subject, [AsParameters] UserDataServices services)
    {
        var ct = services.CancellationToken;
        var pseudonym = ErasedUsers.Pseudonym(subject);
        var user = await services.Users.FindByIdAsync(subject);

        var tokensRevoked = 0;
        await foreach (var token in services.Tokens.FindBySubjectAsync(subject, ct))
        {
            if (!await services.Tokens.HasStatusAsync(token, OpenIddictConstants.Statuses.Revoked, ct) && await services.Tokens.TryRevokeAsync(token, ct))
            {
                tokensRevoked++;
            }
        }

        var authorizationsRevoked = 0;
        await foreach (var authorization in services.Authorizations.FindBySubjectAsync(subject, ct))
        {
            if (!await services.Authorizations.HasStatusAsync(authorization, OpenIddictConstants.Statuses.Revoked, ct)
                && await services.Authorizations.TryRevokeAsync(authorization, ct))
            {
                authorizationsRevoked++;
            }
        }

        var auditPseudonymised = 0;
        if (user is not null)
        {
            var email = Normalise(user.Email);
            auditPseudonymised = await services.Db.ClientAudit
                .Where(e => e.ActingUser != null && (e.ActingUser == email || e.ActingUser == user.Email || e.ActingUser == subject))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.ActingUser, pseudonym), ct);

            // Deleting the row also deletes its roles, logins, claims and tokens (authenticator key, recovery codes);
            // an Identity session cookie the person still holds elsewhere fails its next security-stamp check.
            var deleted = await services.Users.DeleteAsync(user);
            if (!deleted.Succeeded)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The account could not be deleted",
                    detail: "Its sessions and tokens were ended; try again.");
            }
        }

        UserDataLog.Erased(services.Logger, pseudonym, user is not null, tokensRevoked, authorizationsRevoked, auditPseudonymised);
        return TypedResults.Ok(new UserErasure(pseudonym, user is not null, tokensRevoked, authorizationsRevoked, auditPseudonymised));
    }

    private static string? Normalise(string? email) => email?.Trim().ToLowerInvariant();

    private static async Task<string?> ClientIdOfAsync(UserDataServices services, string? applicationId, CancellationToken ct)
    {
        if (applicationId is null)
        {
            return null;
        }

        var application = await services.Applications.FindByIdAsync(applicationId, ct);
        return application is null ? null : await services.Applications.GetClientIdAsync(application, ct);
    }
}

/// <summary>What the user data endpoints need.</summary>
public sealed record UserDataServices(
    UserManager<ApplicationUser> Users,
    IOpenIddictApplicationManager Applications,
    IOpenIddictAuthorizationManager Authorizations,
    IOpenIddictTokenManager Tokens,
    IdentityDbContext Db,
    TimeProvider Clock,
    ILogger<UserDataServices> Logger,
    CancellationToken CancellationToken);

/// <summary>Everything Identity holds about a partner user or bank admin.</summary>
public sealed record UserDataExport(
    DateTimeOffset ExportedAt,
    AccountExport Account,
    IReadOnlyList<AuthorizationExport> Authorizations,
    IReadOnlyList<TokenExport> Tokens,
    IReadOnlyList<ClientAuditExport> ClientChanges);

public sealed record AccountExport(
    string Subject, string? UserName, string? Email, bool EmailConfirmed, string? DisplayName, DateTimeOffset CreatedAt,
    string? PhoneNumber, bool PhoneNumberConfirmed, bool TwoFactorEnabled, bool AuthenticatorConfigured, int RecoveryCodesLeft,
    bool LockoutEnabled, DateTimeOffset? LockoutEnd, int FailedSignInAttempts,
    IReadOnlyList<string> Roles, IReadOnlyList<LoginExport> ExternalLogins, IReadOnlyList<ClaimExport> Claims);

public sealed record LoginExport(string Provider, string? DisplayName);

public sealed record ClaimExport(string Type, string Value);

/// <summary>A grant the person gave a client (the Portal's sign-ins are ad-hoc authorizations).</summary>
public sealed record AuthorizationExport(string Id, string? ClientId, DateTimeOffset? CreatedAt, string? Status, string? Type, IReadOnlyList<string> Scopes);

/// <summary>A token issued for the person: its kind and life, never its value.</summary>
public sealed record TokenExport(string Id, string? ClientId, string? Type, string? Status, DateTimeOffset? CreatedAt, DateTimeOffset? ExpiresAt);

/// <summary>A change to a partner app the person made through the Portal.</summary>
public sealed record ClientAuditExport(DateTimeOffset At, string Action, string ClientId, string? OrganisationId, string? Details);

/// <summary>What an erasure did; <see cref="Pseudonym"/> is the id left in the records that stay.</summary>
public sealed record UserErasure(string Pseudonym, bool AccountDeleted, int TokensRevoked, int AuthorizationsRevoked, int AuditEntriesPseudonymised);

internal static partial class UserDataLog
{
    // The pseudonym only: the subject and the address are what is being erased.
    [LoggerMessage(Level = LogLevel.Information, Message = "User erased as {Pseudonym} (account deleted now: {AccountDeleted}); {Tokens} tokens and {Authorizations} authorizations revoked, {AuditEntries} client audit entries pseudonymised")]
    public static partial void Erased(ILogger logger, string pseudonym, bool accountDeleted, int tokens, int authorizations, int auditEntries);
}
