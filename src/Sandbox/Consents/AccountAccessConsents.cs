using OpenBanking.Sandbox.Clock;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Tenancy;

namespace OpenBanking.Sandbox.Consents;

/// <summary>
/// What <c>/account-access-consents</c> does in every version: create (recording the version), read and delete, by the
/// app that created it with a client-credentials token. Each version's edge only writes the response. Whether a
/// consent may be seen through a version is decided here, once (<see cref="ApiVersions.MayUse"/>).
/// </summary>
public static class AccountAccessConsents
{
    public static async Task<AccountAccessConsent> CreateAsync(
        HttpContext httpContext, ConsentServices services, ApiVersion version, CancellationToken cancellationToken)
    {
        var caller = RequireClientCredentials(httpContext);
        var now = Timestamps.WholeSeconds(services.Clock.GetUtcNow());
        using var body = await ReadJsonAsync(httpContext.Request, cancellationToken);
        var request = AccountAccessConsentRequest.Parse(body.RootElement, now);
        var tenant = await services.Tenants.GetOrCreateAsync(caller.OrganisationId, cancellationToken);

        var consent = new AccountAccessConsent
        {
            Id = AccountAccessConsent.NewId(),
            TenantId = tenant.Id,
            ClientId = caller.ClientId,
            Status = ConsentStatus.AwaitingAuthorisation,
            ApiVersion = version,
            Permissions = [.. request.Permissions],
            ExpirationDateTime = request.ExpirationDateTime,
            TransactionFromDateTime = request.TransactionFromDateTime,
            TransactionToDateTime = request.TransactionToDateTime,
            CreationDateTime = now,
        };
        services.Db.AccountAccessConsents.Add(consent);
        await services.Db.SaveChangesAsync(cancellationToken);
        return consent;
    }

    public static async Task<AccountAccessConsent> ReadAsync(
        string consentId, HttpContext httpContext, ConsentServices services, ApiVersion version, CancellationToken cancellationToken)
    {
        var caller = RequireClientCredentials(httpContext);
        return await FindOwnAsync(services.Db.AccountAccessConsents.AsNoTracking(), consentId, caller, version, cancellationToken);
    }

    public static async Task DeleteAsync(
        string consentId, HttpContext httpContext, ConsentServices services, ApiVersion version, CancellationToken cancellationToken)
    {
        var caller = RequireClientCredentials(httpContext);
        var consent = await FindOwnAsync(services.Db.AccountAccessConsents, consentId, caller, version, cancellationToken);

        // Soft delete: the app can no longer see or use it; the record stays for audit. Its tokens stop working
        // because every data call checks the consent.
        consent.Apply(ConsentAction.Delete, ConsentActor.PartnerApp, services.Clock.GetUtcNow());
        await services.Db.SaveChangesAsync(cancellationToken);
    }

    private static async Task<AccountAccessConsent> FindOwnAsync(
        IQueryable<AccountAccessConsent> consents, string consentId, CallerContext caller, ApiVersion version, CancellationToken cancellationToken)
    {
        var consent = await consents.SingleOrDefaultAsync(c => c.Id == consentId && c.DeletedAt == null, cancellationToken)
            ?? throw ObieException.NotFound("account-access consent", consentId);

        // Another app's consent (of this or another organisation) is forbidden, not "not found": the spec's 403.
        if (consent.ClientId != caller.ClientId)
        {
            throw ObieException.Forbidden("The consent belongs to another client.");
        }

        // A consent of a newer version does not exist for an older one; the message says where it lives, so a
        // partner migrating version by version is not left guessing.
        return ApiVersions.MayUse(ConsentKind.AccountAccess, consent.ApiVersion, version)
            ? consent
            : throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceNotFound,
                $"No {version.Name()} account-access consent has the id '{consentId}': it was created through {consent.ApiVersion.Name()}; "
                + $"read it through {consent.ApiVersion.BasePath()}/aisp/account-access-consents."));
    }

    private static CallerContext RequireClientCredentials(HttpContext httpContext)
    {
        var caller = CallerContext.From(httpContext.User);
        return caller.IsClientCredentials
            ? caller
            : throw ObieException.Forbidden("Consents are managed with a client-credentials token, not a customer token.");
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidFormat, "The body is not valid JSON."));
        }
    }
}

/// <summary>What the consent endpoints need besides the request.</summary>
public sealed record ConsentServices(
    SandboxDbContext Db,
    TenantService Tenants,
    TenantClock Clock,
    IOptions<OpenBankingOptions> Options)
{
    /// <summary>The consent's address in the version it is shown in.</summary>
    public string SelfLink(ApiVersion version, string consentId)
        => $"{Options.Value.PublicBaseUrl.TrimEnd('/')}{version.BasePath()}/aisp/account-access-consents/{consentId}";
}
