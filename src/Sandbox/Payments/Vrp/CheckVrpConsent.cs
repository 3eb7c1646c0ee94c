using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.Pipeline;

namespace OpenBanking.Sandbox.Payments.Vrp;

/// <summary>
/// A VRP payment against its consent: this client's, of this version, Authorised; Initiation and Risk exactly as
/// consented; the payee the consent names (if it names one), and for a sweeping payment an account of the same
/// customer; then — inside the payment's transaction — the control parameters. The transaction first updates the
/// consent's row (<c>LastUsedAt</c>), which every payment under it does: on SQL Server the row lock makes a second
/// payment of the consent wait for the first to commit before it sums the period's payments; on SQLite the one writer
/// runs them in turn anyway. So concurrent payments can never together pass a limit.
/// </summary>
public sealed class CheckVrpConsent(SandboxDbContext db) : IConsentStep
{
    // What the check found, for the transaction's part (one payment per request scope).
    private DomesticVrpConsent? _consent;
    private VrpControls? _controls;

    public async ValueTask CheckAsync(PaymentContext payment, CancellationToken ct)
    {
        var request = (VrpPaymentRequest)payment.KindData!;
        var consent = await VrpQueries.Consent(db, request.ConsentId, ct)
            ?? throw ObieException.NotFound("domestic-vrp consent", request.ConsentId);
        if (consent.ClientId != payment.Caller.ClientId)
        {
            throw ObieException.Forbidden("The consent belongs to another client.");
        }

        if (!ApiVersions.MayUse(ConsentKind.DomesticVrp, consent.ApiVersion, payment.Version))
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceConsentMismatch,
                $"The consent was created through {consent.ApiVersion.Name()}; submit its payments under {consent.ApiVersion.BasePath()}/pisp/domestic-vrps.",
                "Data.ConsentId"));
        }

        if (consent.Status != ConsentStatus.Authorised)
        {
            throw InvalidStatus(consent.Status);
        }

        using (var initiation = JsonDocument.Parse(consent.InitiationJson))
        using (var risk = JsonDocument.Parse(consent.RiskJson))
        {
            if ((JsonValues.FirstDifference(initiation.RootElement, request.Initiation, "Data.Initiation")
                ?? JsonValues.FirstDifference(risk.RootElement, request.Risk, "Risk")) is { } difference)
            {
                throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceConsentMismatch,
                    "The payment's Initiation and Risk must be the consent's, unchanged.", difference));
            }
        }

        if (consent.CreditorIdentification is not null
            && (consent.CreditorIdentification != request.Creditor.Identification || consent.CreditorSchemeName != request.Creditor.SchemeName))
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceConsentMismatch,
                "The consent names its payee: Instruction.CreditorAccount must be the Initiation's CreditorAccount.", "Data.Instruction.CreditorAccount"));
        }

        var debtor = await PaymentQueries.Account(db, consent.DebtorAccountId!, ct)
            ?? throw new InvalidOperationException($"The consent's account {consent.DebtorAccountId} is gone.");
        var creditor = await VrpQueries.Creditor(db, consent.TenantId, request.Creditor.Identification, request.Creditor.SchemeName, ct);
        if (request.VrpType == VrpControls.Sweeping && (creditor is null || creditor.CustomerId != consent.CustomerId || creditor.Id == debtor.Id))
        {
            throw FailsControls("A sweeping payment goes to another account of the same customer at this bank.", "Data.Instruction.CreditorAccount");
        }

        var controls = consent.Controls();
        if (!controls.VrpTypes.Contains(request.VrpType))
        {
            throw FailsControls($"The consent allows {string.Join(", ", controls.VrpTypes)} payments only.", "Data.VRPType");
        }

        if (!controls.AuthenticationMethods.Contains(request.PsuAuthenticationMethod))
        {
            throw FailsControls($"The consent allows PSUAuthenticationMethod {string.Join(", ", controls.AuthenticationMethods)} only.", "Data.PSUAuthenticationMethod");
        }

        // Without PSUInteractionType the payment is OffSession (the v4.0 YAML's default); a consent without
        // PSUInteractionTypes allows either.
        var interaction = request.PsuInteractionType ?? "OffSession";
        if (controls.InteractionTypes is { } interactions && !interactions.Contains(interaction))
        {
            throw FailsControls($"The consent allows PSUInteractionType {string.Join(", ", interactions)} only.", "Data.PSUInteractionType");
        }

        payment.Consent = null;
        payment.Debtor = debtor;
        payment.Reference = request.Reference;
        payment.Payment = new DomesticPayment
        {
            Id = DomesticVrpInstruction.NewPaymentId(),
            Kind = PaymentKind.Vrp,
            TenantId = consent.TenantId,
            ClientId = payment.Caller.ClientId,
            ConsentId = consent.Id,
            CustomerId = consent.CustomerId!,
            DebtorAccountId = debtor.Id,
            CreditorAccountId = creditor is not null && creditor.Currency == request.Currency ? creditor.Id : null,
            AmountMinor = request.AmountMinor,
            Currency = request.Currency,
            CreditorName = request.Creditor.Name ?? consent.CreditorName ?? request.Creditor.Identification,
            CreditorIdentification = request.Creditor.Identification,
            CreationDateTime = Timestamps.WholeSeconds(payment.Now),
            StatusUpdateDateTime = Timestamps.WholeSeconds(payment.Now),
            Status = PaymentStatus.Pending,
            ApiVersion = consent.ApiVersion,
            RiskReasons = string.Empty,
        };
        _consent = consent;
        _controls = controls;
    }

    public async ValueTask ApplyAsync(PaymentContext payment, SandboxDbContext tx, CancellationToken ct)
    {
        var consent = _consent!;
        var made = payment.RequirePayment();
        var request = (VrpPaymentRequest)payment.KindData!;
        var consentId = consent.Id;
        var stamp = Timestamps.WholeSeconds(new DateTimeOffset(payment.Now, TimeSpan.Zero));

        // The per-consent lock, and the status checked again under it (the customer may have revoked it meanwhile).
        // Plain SQL (the same on both providers): EF Core would compile an ExecuteUpdate's expression on every payment.
        var locked = await tx.Database.ExecuteSqlInterpolatedAsync(
            $"UPDATE DomesticVrpConsents SET LastUsedAt = {stamp} WHERE Id = {consentId} AND Status = 'Authorised' AND DeletedAt IS NULL", ct);
        if (locked == 0)
        {
            throw InvalidStatus(await tx.DomesticVrpConsents.AsNoTracking().Where(c => c.Id == consentId).Select(c => c.Status).SingleAsync(ct));
        }

        var now = new DateTimeOffset(payment.Now, TimeSpan.Zero);
        var from = VrpRules.CountFrom(_controls!, now).UtcDateTime;
        // Only payments that were not rejected count; a payment held for review counts (it may still be paid).
        var counted = new List<(DateTimeOffset, long)>();
        await foreach (var p in VrpQueries.Counted(tx, consentId, from))
        {
            counted.Add((new DateTimeOffset(DateTime.SpecifyKind(p.At, DateTimeKind.Utc)), p.AmountMinor));
        }
        if (VrpRules.Breach(_controls!, made.AmountMinor, made.Currency, now, counted) is { } breach)
        {
            throw FailsControls(breach, "Data.Instruction.InstructedAmount");
        }

        tx.DomesticVrpInstructions.Add(new DomesticVrpInstruction
        {
            PaymentId = made.Id,
            TenantId = made.TenantId,
            ConsentId = consentId,
            InstructionJson = request.Instruction.GetRawText(),
            PsuAuthenticationMethod = request.PsuAuthenticationMethod,
            PsuInteractionType = request.PsuInteractionType,
            VrpType = request.VrpType,
            Reference = request.Reference,
            LocalInstrument = request.LocalInstrument,
        });
    }

    /// <summary>The consent and payer this check found (for the response of a new payment).</summary>
    public DomesticVrpConsent? Found => _consent;

    /// <summary>VRP consents are not used up, so a lost race is never the consent's: a database fault, rethrown.</summary>
    public Task<Exception?> LostRaceAsync(PaymentContext payment, CancellationToken ct) => Task.FromResult<Exception?>(null);

    public static ObieException FailsControls(string message, string path)
        => ObieException.BadRequest(new ObError(ObieErrorCodes.RulesFailsControlParameters, message, path));

    public static ObieException InvalidStatus(ConsentStatus status) => ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidConsentStatus,
        $"The consent is {status}; VRP payments need an Authorised consent."));
}
