using System.Collections.Immutable;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Identity.Clients;
using OpenBanking.Identity.Customers;
using OpenBanking.Identity.Platform;
using OpenBanking.Shared;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenBanking.Identity.Consents;

/// <summary>What the customer is asked to authorise: the app, its organisation, the consent and their accounts.</summary>
public sealed record ConsentPrompt(
    string ClientId, string AppName, string OrganisationName, SandboxConsent Consent, IReadOnlyList<SandboxAccount> Accounts);

/// <summary>
/// The customer's decision on a consent, shared by the browser journey and the non-browser sandbox endpoint: the
/// Sandbox records it, and an approval becomes an OpenIddict authorization (remembering the consent) whose tokens
/// are bound to that consent and name the customer by a pairwise subject.
/// </summary>
public sealed partial class ConsentGrants(
    SandboxClient sandbox,
    IOpenIddictApplicationManager applications,
    IOpenIddictAuthorizationManager authorizations,
    IOpenIddictTokenManager tokens,
    IOpenIddictScopeManager scopes,
    PairwiseSubjects subjects,
    TimeProvider clock,
    ILogger<ConsentGrants> logger)
{
    public const string ConsentIdParameter = "consent_id";
    public const string ConsentIdProperty = "consent_id";
    private static readonly TimeSpan MaximumRefreshTokenLifetime = TimeSpan.FromDays(90);

    /// <summary>The prompt for this request and customer, or an error to send back to the client.</summary>
    public async Task<(ConsentPrompt? Prompt, string? Error)> PrepareAsync(OpenIddictRequest request, SignedInCustomer customer, CancellationToken ct)
    {
        var consentId = (string?)request[ConsentIdParameter];
        if (string.IsNullOrEmpty(consentId) || request.ClientId is null)
        {
            return (null, "The authorization request names no consent.");
        }

        var consent = await sandbox.GetConsentAsync(consentId, ct);
        if (consent is null || consent.ClientId != request.ClientId)
        {
            return (null, "The consent does not exist or is not this client's.");
        }

        if (consent.OrganisationId != customer.OrganisationId)
        {
            return (null, "The customer is not a customer of this partner's sandbox bank.");
        }

        if (consent.Status != SandboxConsent.AwaitingAuthorisation)
        {
            return (null, $"The consent is {consent.Status}; only a consent awaiting authorisation can be authorised.");
        }

        var application = await applications.FindByClientIdAsync(request.ClientId, ct)
            ?? throw new InvalidOperationException("The client was validated by OpenIddict but is gone.");
        var properties = await applications.GetPropertiesAsync(application, ct);
        var organisationName = PartnerClientProperties.GetString(properties, PartnerClientProperties.OrganisationName) ?? consent.OrganisationId;
        var accounts = await sandbox.ListAccountsAsync(customer.OrganisationId, customer.CustomerId, ct);
        accounts = EligibleAccounts(consent, accounts);
        return (new ConsentPrompt(request.ClientId, await applications.GetDisplayNameAsync(application, ct) ?? request.ClientId,
            organisationName, consent, accounts), null);
    }

    /// <summary>
    /// The accounts the customer may choose: any for account access; for a payment only those in its currency (and only
    /// the one the app named, if it named one); for a funds check only the account the consent names.
    /// </summary>
    public static IReadOnlyList<SandboxAccount> EligibleAccounts(SandboxConsent consent, IReadOnlyList<SandboxAccount> accounts) => ConsentKindText.Of(consent) switch
    {
        // A named debtor account the customer does not hold leaves nothing to choose (not every account of the currency).
        // Scheduled payments, standing orders and VRP pay the same way as a single payment.
        var kind when ConsentKindText.IsPayment(kind) => [.. accounts.Where(a => (consent.Currency is null || a.Currency == consent.Currency)
            && (consent.Payment?.DebtorAccountNamed != true || consent.AccountIds.Contains(a.AccountId)))],
        CustomerConsentKind.FundsConfirmation => [.. accounts.Where(a => consent.AccountIds.Contains(a.AccountId))],
        _ => accounts,
    };

    /// <summary>
    /// Records the approval of a prepared prompt (<see cref="PrepareAsync"/>) at the Sandbox and builds the principal
    /// OpenIddict turns into a code.
    /// </summary>
    public async Task<(ClaimsPrincipal? Principal, string? Error)> ApproveAsync(
        OpenIddictRequest request, SignedInCustomer customer, ConsentPrompt prompt, IReadOnlyCollection<string> accountIds, CancellationToken ct)
    {
        var chosen = accountIds.Distinct(StringComparer.Ordinal).ToArray();
        if (chosen.Length == 0)
        {
            return (null, prompt.Consent.SingleAccount ? "Choose the account." : "Choose at least one account.");
        }

        if (prompt.Consent.SingleAccount && chosen.Length > 1)
        {
            return (null, "Choose one account.");
        }

        if (chosen.Except(prompt.Accounts.Select(a => a.AccountId)).Any())
        {
            return (null, "Choose only your own accounts.");
        }

        var result = await sandbox.AuthoriseAsync(prompt.Consent.ConsentId, customer.CustomerId, chosen, ct);
        if (result.Consent is not { } consent)
        {
            return (null, result.Error);
        }

        // From here on the Sandbox says Authorised: if anything fails before the code is issued, the approval is
        // withdrawn there (Rejected) rather than left Authorised with no token ever to use it.
        try
        {
            var application = await applications.FindByClientIdAsync(prompt.ClientId, ct)
                ?? throw new InvalidOperationException("The client is gone.");
            var subject = subjects.For(prompt.ClientId, customer.OrganisationId, customer.CustomerId);

            var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            identity.SetClaim(Claims.Subject, subject);
            identity.SetClaim(PlatformClaims.OrganisationId, customer.OrganisationId);
            identity.SetClaim(PlatformClaims.ConsentId, consent.ConsentId);
            identity.SetClaim(Claims.AuthenticationMethodReference, "pwd");
            identity.AddClaim(new Claim(Claims.AuthenticationMethodReference, "otp"));
            identity.SetScopes(request.GetScopes());
            identity.SetResources(await ListResourcesAsync(identity.GetScopes(), ct));

            var now = clock.GetUtcNow();
            var refreshLifetime = consent.ExpirationDateTime is { } expires && expires - now < MaximumRefreshTokenLifetime
                ? expires - now
                : MaximumRefreshTokenLifetime;
            identity.SetRefreshTokenLifetime(refreshLifetime);

            // One permanent authorization per consent: revoking the consent revokes every token of this chain.
            var descriptor = new OpenIddictAuthorizationDescriptor
            {
                ApplicationId = await applications.GetIdAsync(application, ct),
                Subject = subject,
                Type = AuthorizationTypes.Permanent,
                Status = Statuses.Valid,
                CreationDate = now,
                Principal = new ClaimsPrincipal(identity),
            };
            descriptor.Scopes.UnionWith(identity.GetScopes());
            descriptor.Properties[ConsentIdProperty] = JsonSerializer.SerializeToElement(consent.ConsentId);
            var authorization = await authorizations.CreateAsync(descriptor, ct);
            identity.SetAuthorizationId(await authorizations.GetIdAsync(authorization, ct));

            identity.SetDestinations(DestinationsOf);
            return (new ClaimsPrincipal(identity), null);
        }
        catch (Exception exception)
        {
            await WithdrawApprovalAsync(consent.ConsentId, customer.CustomerId, exception);
            throw;
        }
    }

    /// <summary>
    /// Has OpenIddict issue the code for an approved consent (it writes the redirect to the client). If that fails,
    /// the Sandbox's approval is withdrawn, as in <see cref="ApproveAsync"/>.
    /// </summary>
    public async Task IssueCodeAsync(HttpContext httpContext, ClaimsPrincipal principal, SignedInCustomer customer)
    {
        try
        {
            await httpContext.SignInAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, principal);
        }
        catch (Exception exception)
        {
            await WithdrawApprovalAsync(principal.GetClaim(PlatformClaims.ConsentId)!, customer.CustomerId, exception);
            throw;
        }
    }

    private async Task WithdrawApprovalAsync(string consentId, string customerId, Exception cause)
    {
        LogApprovalFailed(logger, cause, consentId);
        try
        {
            // Not the request's token: the request may be what was cancelled, and the withdrawal must still happen.
            var result = await sandbox.RejectAsync(consentId, customerId, CancellationToken.None, authorisationFailed: true);
            if (result.Error is not null)
            {
                LogWithdrawalRefused(logger, consentId, result.Error);
            }
        }
        catch (Exception exception)
        {
            // Best effort, whatever went wrong (the Sandbox being down is the likely case): the original failure is
            // what the caller must see, not this one.
            LogWithdrawalFailed(logger, exception, consentId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Consent {ConsentId} was approved at the Sandbox but no code could be issued; withdrawing the approval")]
    private static partial void LogApprovalFailed(ILogger logger, Exception exception, string consentId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The Sandbox refused to withdraw the approval of consent {ConsentId}: {Error}")]
    private static partial void LogWithdrawalRefused(ILogger logger, string consentId, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The approval of consent {ConsentId} could not be withdrawn at the Sandbox; it stays Authorised without a code")]
    private static partial void LogWithdrawalFailed(ILogger logger, Exception exception, string consentId);

    public async Task<string?> DenyAsync(OpenIddictRequest request, SignedInCustomer? customer, CancellationToken ct)
    {
        var consentId = (string?)request[ConsentIdParameter];
        var consent = consentId is null ? null : await sandbox.GetConsentAsync(consentId, ct);
        if (consent is null || consent.ClientId != request.ClientId)
        {
            return "The consent does not exist or is not this client's.";
        }

        var result = await sandbox.RejectAsync(consent.ConsentId, customer?.CustomerId, ct);
        return result.Error;
    }

    /// <summary>
    /// The customer withdraws access from the connected-apps page: the Sandbox stops honouring every token issued so
    /// far, and the consent's authorization and stored tokens (refresh tokens) are revoked here.
    /// </summary>
    public async Task<string?> RevokeAsync(SignedInCustomer customer, string consentId, CancellationToken ct)
    {
        var consent = await sandbox.GetConsentAsync(consentId, ct);
        if (consent is null || consent.OrganisationId != customer.OrganisationId || consent.CustomerId != customer.CustomerId)
        {
            return "The consent is not yours.";
        }

        var result = await sandbox.RevokeAsync(consentId, customer.CustomerId, ct);
        if (result.Error is not null)
        {
            return result.Error;
        }

        await RevokeTokensAsync(consent.ClientId, subjects.For(consent.ClientId, customer.OrganisationId, customer.CustomerId), consentId, ct);
        return null;
    }

    private async Task RevokeTokensAsync(string clientId, string subject, string consentId, CancellationToken ct)
    {
        if (await applications.FindByClientIdAsync(clientId, ct) is not { } application)
        {
            return;
        }

        var applicationId = await applications.GetIdAsync(application, ct);
        await foreach (var authorization in authorizations.FindAsync(subject, applicationId, status: null, type: null, scopes: null, ct))
        {
            var properties = await authorizations.GetPropertiesAsync(authorization, ct);
            if (properties.TryGetValue(ConsentIdProperty, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() == consentId)
            {
                var id = await authorizations.GetIdAsync(authorization, ct);
                await authorizations.TryRevokeAsync(authorization, ct);
                await tokens.RevokeByAuthorizationIdAsync(id!, ct);
            }
        }
    }

    private async Task<ImmutableArray<string>> ListResourcesAsync(ImmutableArray<string> requested, CancellationToken ct)
    {
        var resources = ImmutableArray.CreateBuilder<string>();
        await foreach (var resource in scopes.ListResourcesAsync(requested, ct))
        {
            resources.Add(resource);
        }

        return resources.ToImmutable();
    }

    /// <summary>
    /// Access tokens carry what the resource servers need (tenant, consent); identity tokens only the subject and how
    /// the customer authenticated — no bank identifiers, no personal data.
    /// </summary>
    public static IEnumerable<string> DestinationsOf(Claim claim) => claim.Type switch
    {
        Claims.Subject => [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
        Claims.AuthenticationMethodReference => [OpenIddictConstants.Destinations.IdentityToken],
        PlatformClaims.OrganisationId or PlatformClaims.ConsentId => [OpenIddictConstants.Destinations.AccessToken],
        _ => [OpenIddictConstants.Destinations.AccessToken],
    };
}
