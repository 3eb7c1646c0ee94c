using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Ledger;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Tenancy;

namespace OpenBanking.Sandbox.Payments;

/// <summary>
/// Creates payment consents and payments. Each POST is one database transaction that claims the idempotency key
/// and makes the effect together — consent consumed, payment recorded, payer debited on the ledger — so a failure
/// at any step leaves nothing, and a duplicate finds the original.
/// </summary>
public sealed class PaymentService(
    SandboxDbContext db,
    TenantService tenants,
    RiskProfiles risk,
    GroupCommitter committer,
    IFaultInjector faults,
    TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<PaymentOptions> options)
{
    public const string CreateConsentOperation = "POST /domestic-payment-consents";
    public const string CreatePaymentOperation = "POST /domestic-payments";

    public async Task<DomesticPaymentConsent> CreateConsentAsync(
        CallerContext caller, string key, string requestHash, DomesticConsentRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (await Idempotency.FindAsync(db, caller.ClientId, CreateConsentOperation, key, requestHash, now.UtcDateTime, ct) is { } existing)
        {
            return await db.DomesticPaymentConsents.AsNoTracking().SingleAsync(c => c.Id == existing.ResourceId, ct);
        }

        var tenant = await tenants.GetOrCreateAsync(caller.OrganisationId, ct);
        var stamp = ObieApi.WholeSeconds(now);
        var consent = new DomesticPaymentConsent
        {
            Id = DomesticPaymentConsent.NewId(),
            TenantId = tenant.Id,
            ClientId = caller.ClientId,
            Status = PaymentConsentStatus.AwaitingAuthorisation,
            CreationDateTime = stamp,
            StatusUpdateDateTime = stamp,
            InitiationJson = request.Initiation.GetRawText(),
            RiskJson = request.Risk.GetRawText(),
            AuthorisationJson = request.Authorisation?.GetRawText(),
            ScaSupportDataJson = request.ScaSupportData?.GetRawText(),
            ReadRefundAccount = request.ReadRefundAccount,
            AmountMinor = request.AmountMinor,
            Currency = request.Currency,
            CreditorName = request.Creditor.Name!,
            CreditorSchemeName = request.Creditor.SchemeName,
            CreditorIdentification = request.Creditor.Identification,
            Reference = request.Reference,
            DebtorSchemeName = request.Debtor?.SchemeName,
            DebtorIdentification = request.Debtor?.Identification,
        };

        try
        {
            await InTransactionAsync(async tx =>
            {
                Idempotency.Claim(tx, caller.ClientId, CreateConsentOperation, key, requestHash, consent.Id, now.UtcDateTime);
                tx.DomesticPaymentConsents.Add(consent);
                await tx.SaveChangesAsync(ct);
            }, ct);
            return consent;
        }
        catch (DbUpdateException)
        {
            // A concurrent duplicate claimed the key first: answer with its consent.
            db.ChangeTracker.Clear();
            if (await Idempotency.FindAsync(db, caller.ClientId, CreateConsentOperation, key, requestHash, now.UtcDateTime, ct) is { } winner)
            {
                return await db.DomesticPaymentConsents.AsNoTracking().SingleAsync(c => c.Id == winner.ResourceId, ct);
            }

            if (await Idempotency.PurgeExpiredAsync(db, caller.ClientId, CreateConsentOperation, key, now.UtcDateTime, ct))
            {
                return await CreateConsentAsync(caller, key, requestHash, request, ct);
            }

            throw;
        }
    }

    /// <summary>The payment this request (or its first sending) created; with its consent and payer when already at hand.</summary>
    public async Task<SubmittedPayment> SubmitAsync(
        CallerContext caller, string key, string requestHash, DomesticPaymentRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;

        // 1. The key first: a repeat gets the payment even though its consent is Consumed by now.
        if (await Idempotency.FindAsync(db, caller.ClientId, CreatePaymentOperation, key, requestHash, now, ct) is { } existing)
        {
            return new SubmittedPayment(await db.DomesticPayments.AsNoTracking().SingleAsync(p => p.Id == existing.ResourceId, ct), null, null);
        }

        // 2. A customer token bound to this very consent.
        if (caller.ConsentId is null)
        {
            throw ObieException.Forbidden("A payment is submitted with the customer's token, not a client-credentials token.");
        }

        if (caller.ConsentId != request.ConsentId)
        {
            throw ObieException.Forbidden("The token is bound to another consent.");
        }

        // 3. The consent: this client's, Authorised. 4. The Initiation and Risk as consented.
        var consent = await db.DomesticPaymentConsents.AsNoTracking().SingleOrDefaultAsync(c => c.Id == request.ConsentId, ct)
            ?? throw ObieException.NotFound("domestic-payment consent", request.ConsentId);
        if (consent.ClientId != caller.ClientId)
        {
            throw ObieException.Forbidden("The consent belongs to another client.");
        }

        if (consent.Status != PaymentConsentStatus.Authorised)
        {
            // A duplicate of this request may have consumed it since the key was looked up: answer with its payment.
            if (await Idempotency.FindAsync(db, caller.ClientId, CreatePaymentOperation, key, requestHash, now, ct) is { } late)
            {
                return new SubmittedPayment(await db.DomesticPayments.AsNoTracking().SingleAsync(p => p.Id == late.ResourceId, ct), null, null);
            }

            throw InvalidConsentStatus(consent.Status);
        }

        using (var initiation = JsonDocument.Parse(consent.InitiationJson))
        using (var consentedRisk = JsonDocument.Parse(consent.RiskJson))
        {
            var difference = JsonValues.FirstDifference(initiation.RootElement, request.Initiation, "Data.Initiation")
                ?? JsonValues.FirstDifference(consentedRisk.RootElement, request.Risk, "Risk");
            if (difference is not null)
            {
                throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceConsentMismatch,
                    "The payment differs from what the customer consented to.", difference));
            }
        }

        var debtor = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == consent.DebtorAccountId, ct);
        var creditor = await db.Accounts.AsNoTracking()
            .Where(a => a.TenantId == consent.TenantId && a.Identification == consent.CreditorIdentification
                && a.SchemeName == consent.CreditorSchemeName && a.Currency == consent.Currency)
            .Select(a => a.Id).FirstOrDefaultAsync(ct);

        // The risk screen reads only history, so it runs before the transaction and keeps the transaction short.
        var scenario = Scenarios.Match(consent.AmountMinor, consent.CreditorName);
        var history = await risk.HistoryAsync(debtor, consent.CreditorIdentification, ct);
        var assessment = RiskRules.Assess(consent.AmountMinor, consent.Currency, risk.LocalHour(), history, scenario, options.Value.Velocity);

        var payment = new DomesticPayment
        {
            Id = DomesticPayment.NewId(),
            TenantId = consent.TenantId,
            ClientId = caller.ClientId,
            ConsentId = consent.Id,
            CustomerId = consent.CustomerId!,
            DebtorAccountId = debtor.Id,
            CreditorAccountId = creditor,
            AmountMinor = consent.AmountMinor,
            Currency = consent.Currency,
            CreditorName = consent.CreditorName,
            CreditorIdentification = consent.CreditorIdentification,
            CreationDateTime = WholeSeconds(now),
            StatusUpdateDateTime = WholeSeconds(now),
            RiskScore = assessment.Score,
            RiskReasons = Truncate(string.Join("; ", assessment.Reasons), 512),
            Scenario = scenario == Scenario.None ? null : scenario.ToString(),
        };

        try
        {
            await InTransactionAsync(async tx =>
            {
                Idempotency.Claim(tx, caller.ClientId, CreatePaymentOperation, key, requestHash, payment.Id, now);
                faults.After("key-claimed");

                // 5. Consumed exactly once: a guarded update, so two submissions under one consent cannot both pass.
                var consumed = await tx.DomesticPaymentConsents
                    .Where(c => c.Id == consent.Id && c.Status == PaymentConsentStatus.Authorised)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(c => c.Status, PaymentConsentStatus.Consumed)
                        .SetProperty(c => c.StatusUpdateDateTime, ObieApi.WholeSeconds(clock.GetUtcNow()))
                        .SetProperty(c => c.Version, c => c.Version + 1), ct);
                if (consumed == 0)
                {
                    throw new ConsentRaceException();
                }

                faults.After("consent-consumed");
                await DecideAsync(tx, payment, debtor, consent.Reference, assessment, scenario, now, ct);
                faults.After("payment-decided");
                tx.DomesticPayments.Add(payment);
                tx.PaymentStatusChanges.Add(new PaymentStatusChange
                {
                    PaymentId = payment.Id,
                    Status = payment.Status,
                    At = payment.StatusUpdateDateTime,
                    Detail = Truncate(Describe(payment, assessment), 256),
                });
                await tx.SaveChangesAsync(ct);
                faults.After("saved");
            }, ct);
        }
        catch (Exception e) when (e is DbUpdateException or ConsentRaceException)
        {
            // Lost a race: to a duplicate of this request (answer with its payment) or to another payment of the consent.
            db.ChangeTracker.Clear();
            if (await Idempotency.FindAsync(db, caller.ClientId, CreatePaymentOperation, key, requestHash, now, ct) is { } winner)
            {
                return new SubmittedPayment(await db.DomesticPayments.AsNoTracking().SingleAsync(p => p.Id == winner.ResourceId, ct), null, null);
            }

            if (await Idempotency.PurgeExpiredAsync(db, caller.ClientId, CreatePaymentOperation, key, now, ct))
            {
                // The key was last used more than 24 hours ago: it is free again.
                return await SubmitAsync(caller, key, requestHash, request, ct);
            }

            // Another payment of the consent won; anything else (a busy or failed database) is not the client's fault.
            var status = await db.DomesticPaymentConsents.AsNoTracking().Where(c => c.Id == consent.Id).Select(c => (PaymentConsentStatus?)c.Status).SingleOrDefaultAsync(ct);
            if (status is PaymentConsentStatus.Authorised)
            {
                throw;
            }

            throw InvalidConsentStatus(status ?? PaymentConsentStatus.Consumed);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        if (payment.Debited)
        {
            risk.Remember(debtor.Id, payment.CreditorIdentification);
        }

        return new SubmittedPayment(payment, consent, debtor);
    }

    /// <summary>A reviewer releases a held payment (debited now, or rejected for funds) or rejects it.</summary>
    public async Task<(bool Found, PaymentStatus? Status, string? Error)> ReviewAsync(string paymentId, bool approve, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        (bool, PaymentStatus?, string?) result = (false, null, null);
        try
        {
            await InTransactionAsync(async tx =>
            {
                var payment = await tx.DomesticPayments.SingleOrDefaultAsync(p => p.Id == paymentId, ct);
                if (payment is null)
                {
                    result = (false, null, null);
                    return;
                }

                if (payment.Status != PaymentStatus.Pending || payment.StatusReason != PaymentStatusReasons.HeldForReview)
                {
                    result = (true, null, $"The payment is {payment.Status}{(payment.StatusReason is null ? string.Empty : " (" + payment.StatusReason + ")")}, not held for review.");
                    return;
                }

                payment.StatusUpdateDateTime = WholeSeconds(now);
                string detail;
                if (approve)
                {
                    var debtor = await tx.Accounts.AsNoTracking().SingleAsync(a => a.Id == payment.DebtorAccountId, ct);
                    var reference = await tx.DomesticPaymentConsents.AsNoTracking().Where(c => c.Id == payment.ConsentId).Select(c => c.Reference).SingleAsync(ct);
                    await DebitAsync(tx, payment, debtor, reference, Enum.TryParse<Scenario>(payment.Scenario, out var s) ? s : Scenario.None, now, ct);
                    detail = payment.Debited ? "Released by a reviewer; accepted for settlement." : "Released by a reviewer; rejected: insufficient funds.";
                }
                else
                {
                    payment.Status = PaymentStatus.Rejected;
                    payment.StatusReason = PaymentStatusReasons.RejectedOnReview;
                    detail = "Rejected by a reviewer.";
                }

                payment.Version++;
                tx.PaymentStatusChanges.Add(new PaymentStatusChange { PaymentId = payment.Id, Status = payment.Status, At = payment.StatusUpdateDateTime, Detail = detail });
                await tx.SaveChangesAsync(ct);
                result = (true, payment.Status, null);
            }, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another reviewer decided first (the debit, if any, was rolled back with this transaction).
            result = (true, null, "The payment was decided by someone else meanwhile.");
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        return result;
    }

    /// <summary>Rejected by risk or for funds, held for review, or accepted: the payer debited into clearing.</summary>
    private async Task DecideAsync(SandboxDbContext tx, DomesticPayment payment, Account debtor, string? reference, RiskAssessment assessment, Scenario scenario, DateTime now, CancellationToken ct)
    {
        payment.Status = PaymentStatus.Pending;
        payment.Debited = false;
        if (assessment.Decision == RiskDecision.Reject)
        {
            payment.Status = PaymentStatus.Rejected;
            payment.StatusReason = PaymentStatusReasons.RiskRejected;
            return;
        }

        if (assessment.Decision == RiskDecision.Review)
        {
            payment.StatusReason = PaymentStatusReasons.HeldForReview;
            return;
        }

        await DebitAsync(tx, payment, debtor, reference, scenario, now, ct);
    }

    /// <summary>Takes the money (or rejects the payment for funds) and schedules settlement.</summary>
    internal async Task DebitAsync(SandboxDbContext tx, DomesticPayment payment, Account debtor, string? reference, Scenario scenario, DateTime now, CancellationToken ct)
    {
        var ledger = new LedgerStore(tx);
        var balance = scenario == Scenario.InsufficientFunds ? null : await ledger.TryDebitAsync(debtor.Id, payment.AmountMinor, ct);
        if (balance is not { } after)
        {
            payment.Status = PaymentStatus.Rejected;
            payment.StatusReason = PaymentStatusReasons.InsufficientFunds;
            payment.NextActionAt = null;
            return;
        }

        faults.After("account-debited");
        ledger.Add(Posting.PaymentDebit(payment.Id, debtor.Id, payment.Currency, payment.AmountMinor), payment.TenantId, payment.Id, now);
        tx.Transactions.Add(PaymentTransactions.For(debtor, payment.Id, credit: false, payment.AmountMinor, after, WholeSeconds(now),
            reference, $"Payment to {payment.CreditorName}", payment.CreditorName, null, payment.CreditorIdentification));
        payment.Debited = true;
        payment.Status = PaymentStatus.Pending;
        payment.StatusReason = null;
        payment.NextActionAt = now + Delay(options.Value.AcceptAfter, payment);
    }

    internal TimeSpan Delay(TimeSpan delay, DomesticPayment payment)
        => payment.Scenario == nameof(Scenario.SlowSettlement) ? delay * options.Value.SlowFactor : delay;

    internal static string Describe(DomesticPayment payment, RiskAssessment assessment) => payment.StatusReason switch
    {
        PaymentStatusReasons.RiskRejected => "Rejected by the risk screen. " + assessment.Describe(),
        PaymentStatusReasons.InsufficientFunds => "Rejected: insufficient funds. " + assessment.Describe(),
        PaymentStatusReasons.HeldForReview => "Held for review by the risk screen. " + assessment.Describe(),
        _ => "Accepted for settlement. " + assessment.Describe(),
    };

    /// <summary>
    /// One transaction around <paramref name="work"/>, given the context to work in. On SQLite the work joins the group
    /// committer's next transaction (its own savepoint, so a failure undoes only its part); on SQL Server it runs in a
    /// transaction of its own, replayable whole by the retry strategy.
    /// </summary>
    internal async Task InTransactionAsync(Func<SandboxDbContext, Task> work, CancellationToken ct)
    {
        if (committer.Enabled)
        {
            await committer.RunAsync(work, ct);
            return;
        }

        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await work(db);
            await transaction.CommitAsync(ct);
        });
    }

    internal static DateTime WholeSeconds(DateTime value) => value.AddTicks(-(value.Ticks % TimeSpan.TicksPerSecond));

    internal static string Truncate(string value, int length) => value.Length <= length ? value : value[..(length - 1)] + "…";

    private static ObieException InvalidConsentStatus(PaymentConsentStatus status) => ObieException.BadRequest(new ObError(
        ObieErrorCodes.ResourceInvalidConsentStatus, $"The consent is {status}; a payment needs an Authorised consent (one payment per consent)."));

    private sealed class ConsentRaceException : Exception;
}

/// <summary>A submitted payment; Consent and Debtor are null when it was found rather than made (an idempotent repeat).</summary>
public sealed record SubmittedPayment(DomesticPayment Payment, DomesticPaymentConsent? Consent, Account? Debtor);
