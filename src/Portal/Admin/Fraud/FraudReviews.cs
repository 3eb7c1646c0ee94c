using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Portal.Authentication;
using OpenBanking.Portal.Infrastructure;
using OpenBanking.Portal.Partners;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.Admin.Fraud;

/// <summary>A bank reviewer's decision on a held payment: release or reject, with a note (required to reject).</summary>
public sealed class FraudReviewForm : IValidatableObject
{
    public const int MaxNoteLength = 500;

    /// <summary>true: release for settlement; false: reject; null: not chosen yet.</summary>
    public bool? Release { get; set; }

    [StringLength(MaxNoteLength, ErrorMessage = "Keep the note to 500 characters or fewer.")]
    public string? Note { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Release is null)
        {
            yield return new ValidationResult("Choose whether to release or reject the payment.", [nameof(Release)]);
        }
        else if (Release == false && string.IsNullOrWhiteSpace(Note))
        {
            yield return new ValidationResult("Write a note saying why you reject the payment.", [nameof(Note)]);
        }
    }
}

/// <summary>The review queue's actions (an interface so the dashboard's components can be tested alone).</summary>
public interface IFraudReviews
{
    /// <summary>The status the payment ends in.</summary>
    /// <exception cref="PortalValidationException">The form is not valid, or the Sandbox refused; every problem in words.</exception>
    /// <exception cref="PortalForbiddenException">The signed-in person is not (or no longer) a bank admin.</exception>
    Task<string> ReviewAsync(FraudFeedItem payment, FraudReviewForm form, CancellationToken ct = default);
}

/// <summary>Reviews go to the Sandbox with the admin's e-mail as reviewer, and into the Portal's audit log.</summary>
public sealed class FraudReviews(
    CurrentPartner current, IDbContextFactory<PortalDbContext> dbFactory, IdentityClientsClient identity, SandboxFraudClient sandbox,
    FraudFeedHub hub, TimeProvider clock) : IFraudReviews
{
    public async Task<string> ReviewAsync(FraudFeedItem payment, FraudReviewForm form, CancellationToken ct = default)
    {
        var actor = await current.GetActorAsync();
        if (!await new UserStanding(identity, clock).IsAdminNowAsync(actor, ct))
        {
            throw new PortalForbiddenException("Only the bank's admins can review payments.");
        }

        FormValidation.EnsureValid(form);
        var note = string.IsNullOrWhiteSpace(form.Note) ? null : form.Note.Trim();
        string status;
        try
        {
            status = await sandbox.ReviewAsync(payment.PaymentId, form.Release!.Value, note, actor.Email, ct);
        }
        catch (PlatformServiceException e)
        {
            throw e.Errors.Count > 0 ? new PortalValidationException(e.Errors) : new PortalValidationException("", e.Message);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or TaskCanceledException { CancellationToken.IsCancellationRequested: false })
        {
            throw new PortalValidationException("", "The sandbox bank could not be reached; the payment is still held. Try again in a moment.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        AuditTrail.Record(db, clock.GetUtcNow(), actor, null, form.Release.Value ? AuditActions.PaymentReleased : AuditActions.PaymentRejected,
            "Payment", payment.PaymentId, Guid.TryParse(payment.OrganisationId, out var organisationId) ? organisationId : null,
            AuditTrail.Snapshot(new { Status = "HeldForReview", payment.Score, payment.Decision }),
            AuditTrail.Snapshot(new { Status = status, Note = note, Source = "fraud-dashboard" }));
        await db.SaveChangesAsync(ct);
        hub.Reviewed(payment.PaymentId, form.Release.Value, actor.Email);
        return status;
    }
}
