using Microsoft.EntityFrameworkCore;
using OpenBanking.Portal.Domain;
using OpenBanking.Portal.Infrastructure;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.Partners;

/// <summary>An app as its team sees it: the Portal's record and Identity's client (null when Identity could not be reached).</summary>
public sealed record AppDetails(PartnerApp App, IdentityClient? Client, string? ClientError);

/// <summary>The answer to a create or a rotation: the only moment the Portal holds the secret (never stored, never logged).</summary>
public sealed record AppCredentials(string ClientId, string? ClientSecret);

/// <summary>
/// Partner apps. Identity holds the OAuth client (secret hash, redirect URIs, scopes, keys); the Portal records which
/// organisation owns it and the payment-access decision. Every action checks the person's membership and role here,
/// on the server; another organisation's app is "not found".
/// </summary>
public sealed partial class AppService(CurrentPartner current, IDbContextFactory<PortalDbContext> dbFactory, IdentityClientsClient identity, TimeProvider clock, ILogger<AppService> logger)
{
    public async Task<IReadOnlyList<PartnerApp>> ListAsync(CancellationToken ct = default)
    {
        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var organisation = (await CurrentPartner.LoadAsync(db, actor, ct)).RequireOrganisation();
        var apps = await db.Apps.AsNoTracking().Where(a => a.OrganisationId == organisation.Id).ToListAsync(ct);
        return [.. apps.OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase)];
    }

    public async Task<AppDetails> GetAsync(string clientId, CancellationToken ct = default)
    {
        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var app = await FindAsync(db, await CurrentPartner.LoadAsync(db, actor, ct), clientId, tracking: false, ct);
        return await WithClientAsync(app, ct);
    }

    public async Task<(PartnerApp App, AppCredentials Credentials)> CreateAsync(AppForm form, CancellationToken ct = default)
    {
        form.EnsureValid();
        var actor = await current.GetActorAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var context = await CurrentPartner.LoadAsync(db, actor, ct);
        context.Require(TeamRole.Developer, "create apps");
        var organisation = context.Organisation!;
        if (organisation.Status != OrganisationStatus.Approved)
        {
            throw new PortalForbiddenException("Apps can be created once the bank has approved your organisation.");
        }

        var created = await CallIdentityAsync(() => identity.CreateAsync(new NewClient(
            form.Name!.Trim(), organisation.Id.ToString(), organisation.LegalName, form.RedirectUriList, form.ScopesToRegister(paymentsGranted: false),
            form.AuthMethod, form.AuthMethod == AppForm.PrivateKeyJwt ? AppForm.ParseJwks(form.Jwks) : null,
            RequireSignedRequests: form.RequireSignedRequests), actor.Email, ct));

        var now = clock.GetUtcNow();
        var app = new PartnerApp
        {
            ClientId = created.ClientId,
            OrganisationId = organisation.Id,
            Name = created.Client.Name,
            Description = string.IsNullOrWhiteSpace(form.Description) ? null : form.Description.Trim(),
            AuthMethod = created.Client.AuthMethod,
            CreatedBy = actor.Email,
            CreatedAt = now,
            PaymentAccess = form.Payments ? PaymentAccess.Requested : PaymentAccess.NotRequested,
        };
        db.Apps.Add(app);
        AuditTrail.Record(db, now, actor, context.Role.ToString(), AuditActions.AppCreated, nameof(PartnerApp), app.ClientId, organisation.Id, null,
            AuditTrail.Snapshot(new { app.Name, app.Description, app.AuthMethod, created.Client.RedirectUris, created.Client.Scopes, app.PaymentAccess, form.RequireSignedRequests }));
        if (form.Payments)
        {
            AuditTrail.Notify(db, now, null, $"{organisation.LegalName} asks for payment initiation on {app.Name}.", "/admin/review");
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (Exception)
        {
            // Identity has the client but the Portal could not record it: remove it rather than leave an orphan.
            await identity.DeleteAsync(created.ClientId, actor.Email, CancellationToken.None);
            throw;
        }

        logger.LogInformation("App {ClientId} created for organisation {OrganisationId}", app.ClientId, organisation.Id);
        return (app, new AppCredentials(created.ClientId, created.ClientSecret));
    }

    public async Task<AppDetails> UpdateAsync(string clientId, string? name, string? description, string? redirectUris, CancellationToken ct = default)
    {
        // Every problem at once, in the create form's words (same rules).
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(name) || name.Trim().Length is < 2 or > 100)
        {
            errors["name"] = [string.IsNullOrWhiteSpace(name) ? "Name the app." : "Use 2 to 100 characters for the name."];
        }

        if (description?.Length > 1000)
        {
            errors["description"] = ["Shorten the description to 1,000 characters or fewer."];
        }

        var uris = AppForm.ParseRedirectUris(redirectUris);
        string[] uriErrors = uris.Count == 0 ? ["Enter at least one redirect URI."]
            : [.. uris.Count > 10 ? [$"Enter at most 10 redirect URIs (there are {uris.Count})."] : Array.Empty<string>(),
                .. uris.Select(AppForm.CheckRedirectUri).OfType<string>()];
        if (uriErrors.Length > 0)
        {
            errors["redirectUris"] = uriErrors;
        }

        if (errors.Count > 0)
        {
            throw new PortalValidationException(errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (context, app) = await LoadForChangeAsync(db, clientId, TeamRole.Developer, "change apps", ct);
        var before = AuditTrail.Snapshot(new { app.Name, app.Description });
        var client = await CallIdentityAsync(() => identity.UpdateAsync(clientId, new ClientChanges(Name: name!.Trim(), RedirectUris: uris), context.Actor.Email, ct));
        app.Name = client.Name;
        app.Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        AuditTrail.Record(db, clock.GetUtcNow(), context.Actor, context.Role.ToString(), AuditActions.AppUpdated, nameof(PartnerApp), app.ClientId, app.OrganisationId,
            before, AuditTrail.Snapshot(new { app.Name, app.Description, client.RedirectUris }));
        await db.SaveChangesAsync(ct);
        return new AppDetails(app, client, null);
    }

    public async Task<AppCredentials> RotateSecretAsync(string clientId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (context, app) = await LoadForChangeAsync(db, clientId, TeamRole.Developer, "rotate secrets", ct);
        if (app.AuthMethod != AppForm.ClientSecretBasic)
        {
            throw new PortalValidationException("", "This app authenticates with private_key_jwt; it has no secret to rotate.");
        }

        var secret = await CallIdentityAsync(() => identity.RotateSecretAsync(clientId, context.Actor.Email, ct));
        AuditTrail.Record(db, clock.GetUtcNow(), context.Actor, context.Role.ToString(), AuditActions.AppSecretRotated, nameof(PartnerApp), app.ClientId, app.OrganisationId, null, null);
        await db.SaveChangesAsync(ct);
        return new AppCredentials(secret.ClientId, secret.ClientSecret);
    }

    public async Task SetSuspendedAsync(string clientId, bool suspended, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (context, app) = await LoadForChangeAsync(db, clientId, TeamRole.Developer, suspended ? "suspend apps" : "reactivate apps", ct);
        if (!suspended && context.Organisation!.Status == OrganisationStatus.Suspended)
        {
            throw new PortalForbiddenException("Your organisation is suspended: its apps stay suspended until the bank reactivates it.");
        }

        // The bank's suspension is the bank's to lift: a team member (even one who is also an admin, acting here
        // as a team member) cannot undo it, nor turn it into a team suspension by suspending again.
        if (app.SuspendedByBank)
        {
            throw new PortalForbiddenException($"{app.Name} was suspended by the bank; only the bank can reactivate it.");
        }

        if (app.Suspended == suspended)
        {
            return;
        }

        await ApplySuspensionAsync(db, context.Actor, context.Role.ToString(), app, suspended, AppSuspender.Team, identity, clock, ct);
    }

    public async Task DeleteAsync(string clientId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (context, app) = await LoadForChangeAsync(db, clientId, TeamRole.Developer, "delete apps", ct);

        // Deleting and recreating would sidestep the bank's suspension.
        if (app.SuspendedByBank)
        {
            throw new PortalForbiddenException($"{app.Name} was suspended by the bank; it cannot be deleted until the bank reactivates it.");
        }

        await CallIdentityAsync(async () =>
        {
            await identity.DeleteAsync(clientId, context.Actor.Email, ct);
            return true;
        });
        db.Apps.Remove(app);
        AuditTrail.Record(db, clock.GetUtcNow(), context.Actor, context.Role.ToString(), AuditActions.AppDeleted, nameof(PartnerApp), app.ClientId, app.OrganisationId,
            AuditTrail.Snapshot(new { app.Name, app.Description, app.AuthMethod, app.PaymentAccess }), null);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Asks the bank for the payment-initiation scope on an existing app.</summary>
    public async Task RequestPaymentAccessAsync(string clientId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (context, app) = await LoadForChangeAsync(db, clientId, TeamRole.Developer, "request payment access", ct);
        if (app.PaymentAccess is PaymentAccess.Requested or PaymentAccess.Granted)
        {
            return;
        }

        var before = AuditTrail.Snapshot(new { app.PaymentAccess, app.PaymentAccessReason });
        var now = clock.GetUtcNow();
        app.PaymentAccess = PaymentAccess.Requested;
        app.PaymentAccessReason = null;
        app.PaymentAccessDecidedAt = null;
        AuditTrail.Record(db, now, context.Actor, context.Role.ToString(), AuditActions.AppPaymentAccessRequested, nameof(PartnerApp), app.ClientId, app.OrganisationId,
            before, AuditTrail.Snapshot(new { app.PaymentAccess }));
        AuditTrail.Notify(db, now, null, $"{context.Organisation!.LegalName} asks for payment initiation on {app.Name}.", "/admin/review");
        await db.SaveChangesAsync(ct);
    }

    internal static async Task ApplySuspensionAsync(
        PortalDbContext db, PortalActor actor, string? role, PartnerApp app, bool suspended, AppSuspender by, IdentityClientsClient identity, TimeProvider clock,
        CancellationToken ct)
    {
        if (suspended)
        {
            await CallIdentityAsync(async () =>
            {
                await identity.SuspendAsync(app.ClientId, actor.Email, ct);
                return true;
            });
        }
        else
        {
            await CallIdentityAsync(async () =>
            {
                await identity.ReactivateAsync(app.ClientId, actor.Email, ct);
                return true;
            });
        }

        var before = AuditTrail.Snapshot(new { app.Suspended, app.SuspendedBy });
        app.Suspended = suspended;
        app.SuspendedBy = suspended ? by : null;
        var now = clock.GetUtcNow();
        AuditTrail.Record(db, now, actor, role, suspended ? AuditActions.AppSuspended : AuditActions.AppReactivated, nameof(PartnerApp), app.ClientId, app.OrganisationId,
            before, AuditTrail.Snapshot(new { app.Suspended, app.SuspendedBy }));
        if (by == AppSuspender.Bank)
        {
            AuditTrail.Notify(db, now, app.OrganisationId, suspended ? $"The bank suspended {app.Name}." : $"The bank reactivated {app.Name}.",
                $"/apps/{app.ClientId}", suspended ? NotificationSeverity.Warning : NotificationSeverity.Success);
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>Identity's refusals become form errors; an unreachable Identity a clear message, never a crash.</summary>
    internal static async Task<T> CallIdentityAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (PlatformServiceException exception) when (exception.Errors.Count > 0)
        {
            throw new PortalValidationException(exception.Errors);
        }
        catch (PlatformServiceException exception)
        {
            throw new PortalValidationException("", exception.Message);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException or TaskCanceledException { CancellationToken.IsCancellationRequested: false })
        {
            throw new PortalValidationException("", "Identity could not be reached or did not answer in time; reload the page to see what changed before trying again.");
        }
    }

    private async Task<AppDetails> WithClientAsync(PartnerApp app, CancellationToken ct)
    {
        try
        {
            return new AppDetails(app, await identity.GetAsync(app.ClientId, ct), null);
        }
        catch (Exception exception) when (exception is HttpRequestException or PlatformServiceException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Identity did not answer for app {ClientId}", app.ClientId);
            return new AppDetails(app, null, "Identity could not be reached: redirect URIs and scopes are not shown.");
        }
    }

    /// <summary>Loads the app for a change by someone holding <paramref name="role"/>, tracked in <paramref name="db"/>.</summary>
    private async Task<(PartnerContext Context, PartnerApp App)> LoadForChangeAsync(
        PortalDbContext db, string clientId, TeamRole role, string what, CancellationToken ct)
    {
        var actor = await current.GetActorAsync();
        var context = await CurrentPartner.LoadAsync(db, actor, ct);
        var app = await FindAsync(db, context, clientId, tracking: true, ct);
        context.Require(role, what);
        return (context, app);
    }

    private static async Task<PartnerApp> FindAsync(PortalDbContext db, PartnerContext context, string clientId, bool tracking, CancellationToken ct)
    {
        var organisation = context.Organisation;
        var query = tracking ? db.Apps : db.Apps.AsNoTracking();
        var app = organisation is null ? null : await query.SingleOrDefaultAsync(a => a.ClientId == clientId && a.OrganisationId == organisation.Id, ct);
        return app ?? throw new PortalNotFoundException("No such app in your organisation.");
    }
}
