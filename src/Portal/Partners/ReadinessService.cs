using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Portal.Domain;
using OpenBanking.Portal.Infrastructure;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.Partners;

/// <summary>A production-access request as the partner and the admin read it, the frozen report decoded.</summary>
public sealed record ProductionRequestView(ProductionAccessRequest Request, string AppName, string OrganisationName, ReadinessReport? Report);

/// <summary>
/// An app's go-live readiness report, composed now from the gateway's call log, Identity's token activity and the
/// Sandbox's event deliveries (each source that fails is named, never an error page), and the partner's request for
/// production access with the report frozen into it. Always the signed-in member's own organisation.
/// </summary>
public interface IAppReadiness
{
    Task<ReadinessReport> ReportAsync(string clientId, CancellationToken ct = default);

    Task<IReadOnlyList<ProductionRequestView>> RequestsAsync(string clientId, CancellationToken ct = default);

    Task<ProductionAccessRequest> RequestProductionAccessAsync(string clientId, string? note, CancellationToken ct = default);

    /// <summary>One of the app's calls (a check's evidence); null when not the app's or no longer kept.</summary>
    Task<CallDetail?> CallAsync(string clientId, long callId, CancellationToken ct = default);
}

public sealed class ReadinessService(
    CurrentPartner current, IDbContextFactory<PortalDbContext> dbFactory, GatewayCallsClient calls, IdentityGrantsClient grants,
    IdentityClientsClient identity, SandboxEventsClient events, TimeProvider clock, ILogger<ReadinessService> logger) : IAppReadiness
{
    /// <summary>The window the report reads: the call log keeps 30 days.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    public const int MaxNoteLength = 2000;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public async Task<ReadinessReport> ReportAsync(string clientId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (_, app) = await LoadAsync(db, clientId, null, null, ct);
        return await ComputeAsync(app, ct);
    }

    /// <summary>The app's production-access requests, newest first, each with its frozen report.</summary>
    public async Task<IReadOnlyList<ProductionRequestView>> RequestsAsync(string clientId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (context, app) = await LoadAsync(db, clientId, null, null, ct);
        var requests = await db.ProductionAccessRequests.AsNoTracking()
            .Where(r => r.ClientId == app.ClientId && r.OrganisationId == app.OrganisationId).OrderByDescending(r => r.Id).Take(20).ToListAsync(ct);
        return [.. requests.Select(r => new ProductionRequestView(r, app.Name, context.Organisation!.LegalName, Decode(r.ReportJson)))];
    }

    /// <summary>
    /// Asks the bank to mark the app production-approved. Allowed with failed checks (the request lists them for the
    /// admin); the report is computed here, on the server, and stored as it stands.
    /// </summary>
    public async Task<ProductionAccessRequest> RequestProductionAccessAsync(string clientId, string? note, CancellationToken ct = default)
    {
        var trimmed = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (trimmed?.Length > MaxNoteLength)
        {
            throw new PortalValidationException("note", $"Shorten the note to {MaxNoteLength:N0} characters or fewer (it has {trimmed.Length:N0}).");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (context, app) = await LoadAsync(db, clientId, TeamRole.Developer, "request production access", ct);
        if (app.ProductionAccess == ProductionAccess.Requested)
        {
            throw new PortalValidationException("", $"{app.Name} already has a production-access request waiting for the bank.");
        }

        if (app.ProductionAccess == ProductionAccess.Approved)
        {
            throw new PortalValidationException("", $"{app.Name} is already production-approved.");
        }

        var report = await ComputeAsync(app, ct);
        var now = clock.GetUtcNow();
        var request = new ProductionAccessRequest
        {
            ClientId = app.ClientId,
            OrganisationId = app.OrganisationId,
            RequestedBy = context.Actor.Email,
            RequestedAt = now,
            Note = trimmed,
            Verdict = report.Verdict.Length > 1000 ? report.Verdict[..1000] : report.Verdict,
            FailedChecks = report.Failed.Count(),
            ReportJson = JsonSerializer.Serialize(report, Json),
        };
        var before = AuditTrail.Snapshot(new { app.ProductionAccess, app.ProductionAccessReason });
        app.ProductionAccess = ProductionAccess.Requested;
        app.ProductionAccessReason = null;
        app.ProductionAccessDecidedAt = null;
        db.ProductionAccessRequests.Add(request);
        AuditTrail.Record(db, now, context.Actor, context.Role.ToString(), AuditActions.AppProductionAccessRequested, nameof(PartnerApp), app.ClientId,
            app.OrganisationId, before, AuditTrail.Snapshot(new { app.ProductionAccess, report.Level, request.FailedChecks, FailedCheckIds = report.Failed.Select(c => c.Id), Note = trimmed }));
        AuditTrail.Notify(db, now, null, $"{context.Organisation!.LegalName} asks for production access on {app.Name} ({report.Level switch
        {
            ReadinessLevel.Ready => "ready",
            ReadinessLevel.NotReady => $"{request.FailedChecks} failed check{(request.FailedChecks == 1 ? "" : "s")}",
            _ => "evidence incomplete",
        }}).", "/admin/review");
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Production access requested for app {ClientId} ({Level})", app.ClientId, report.Level);
        return request;
    }

    public async Task<CallDetail?> CallAsync(string clientId, long callId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (_, app) = await LoadAsync(db, clientId, null, null, ct);
        return await calls.GetAsync(app.OrganisationId, app.ClientId, callId, ct);
    }

    /// <summary>A stored report read back; null when it cannot be (the request still shows its verdict).</summary>
    public static ReadinessReport? Decode(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<ReadinessReport>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<ReadinessReport> ComputeAsync(PartnerApp app, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var since = now - Window;
        var gateway = await TryAsync(() => calls.ReadinessAsync(app.OrganisationId, app.ClientId, ct), "gateway", ct);
        var tokens = await TryAsync(() => grants.TokenActivityAsync(app.ClientId, since, ct), "identity", ct);
        var notifications = await TryAsync(async () => (await events.ListAsync(app.OrganisationId, app.ClientId, new EventLogFilter(Take: 100), ct)).Items, "sandbox", ct);
        var client = await TryAsync(() => identity.GetAsync(app.ClientId, ct), "identity", ct);
        return ReadinessComposer.Compose(new ReadinessInputs(
            app.ClientId, app.Name, client.Value?.RequireSignedRequests ?? false, client.Value?.RequireDpop ?? false, now, since,
            gateway.Value, gateway.Error, tokens.Value, tokens.Error, notifications.Value, notifications.Error));
    }

    /// <summary>A source that fails or is missing (404 until it is deployed) becomes a sentence, not an error page.</summary>
    private async Task<(T? Value, string? Error)> TryAsync<T>(Func<Task<T>> call, string source, CancellationToken ct)
        where T : class?
    {
        try
        {
            return (await call(), null);
        }
        catch (Exception exception) when (exception is HttpRequestException or PlatformServiceException or JsonException or NotSupportedException
                                              or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Readiness source {Source} failed", source);
            // The service's own error text is logged, not shown: a missing endpoint's 404 text would only confuse.
            return (null, exception is PlatformServiceException ? "it answered with an error" : "it could not be reached");
        }
    }

    private async Task<(PartnerContext Context, PartnerApp App)> LoadAsync(PortalDbContext db, string clientId, TeamRole? role, string? what, CancellationToken ct)
    {
        var actor = await current.GetActorAsync();
        var context = await CurrentPartner.LoadAsync(db, actor, ct);
        var organisation = context.RequireOrganisation();
        var app = await db.Apps.SingleOrDefaultAsync(a => a.ClientId == clientId && a.OrganisationId == organisation.Id, ct)
            ?? throw new PortalNotFoundException("No such app in your organisation.");
        if (role is { } needed)
        {
            context.Require(needed, what!);
        }

        return (context, app);
    }
}
