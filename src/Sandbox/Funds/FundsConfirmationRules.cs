using OpenBanking.Sandbox.Clock;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Consents;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Ledger;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Tenancy;

namespace OpenBanking.Sandbox.Funds;

/// <summary>What a funds check asks: under which consent, with which reference, for how much.</summary>
public sealed record FundsQuestion(string ConsentId, string Reference, string Amount, string Currency, long AmountMinor);

/// <summary>
/// The Confirmation of Funds rules of every API version, in the domain's terms: the consent's lifecycle, the
/// cross-version rule (<see cref="ApiVersions.MayUse"/>: a consent is used through its own version or a newer one),
/// and the yes/no answer. Each version's edge (V3_1, V4_0) validates its own body shape and names statuses its way.
/// </summary>
public sealed class FundsConfirmationRules(SandboxDbContext db, TenantService tenants, TenantClock clock, ConsentUsage usage)
{
    /// <summary>The request's JSON body, which must be an object with only <c>Data</c>, and a validator for its fields.</summary>
    /// <summary>
    /// The question of a <c>POST /funds-confirmations</c> (OBFundsConfirmation1, the same in v3.1.11 and v4.0), every
    /// problem of the body at once.
    /// </summary>
    public static async Task<FundsQuestion> ReadQuestionAsync(HttpRequest request, CancellationToken ct)
    {
        var (body, v) = await ReadDataBodyAsync(request, ct);
        using (body)
        {
            string? consentId = null, reference = null;
            (long Minor, string Amount, string Currency)? amount = null;
            if (v.Object(body.RootElement, "Data", "Data", required: true, "ConsentId", "Reference", "InstructedAmount") is { } data)
            {
                consentId = v.String(data, "ConsentId", "Data.ConsentId", required: true, 128);
                reference = v.String(data, "Reference", "Data.Reference", required: true, 35);
                amount = v.Amount(data, "Data.InstructedAmount");
            }

            v.ThrowIfAny();
            return new FundsQuestion(consentId!, reference!, amount!.Value.Amount, amount.Value.Currency, amount.Value.Minor);
        }
    }

    public static async Task<(JsonDocument Body, ObieValidator Validator)> ReadDataBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var (_, body) = await PaymentEndpoints.ReadBodyAsync(request, ct);
        if (body.RootElement.ValueKind != JsonValueKind.Object)
        {
            body.Dispose();
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidFormat, "The body must be a JSON object with Data."));
        }

        var validator = new ObieValidator();
        validator.Only(body.RootElement, "", "Data");
        return (body, validator);
    }

    /// <summary>Records the consent asked for through <paramref name="version"/> (AwaitingAuthorisation); the expiry must be in the future.</summary>
    public async Task<FundsConfirmationConsent> CreateConsentAsync(
        CallerContext caller, ApiVersion version, DateTimeOffset? expiration, AccountReference? debtor, ObieValidator v, CancellationToken ct)
    {
        var now = Timestamps.WholeSeconds(clock.GetUtcNow());
        if (expiration <= now)
        {
            v.Add(ObieErrorCodes.FieldInvalidDate, "ExpirationDateTime must be in the future.", "Data.ExpirationDateTime");
        }

        v.ThrowIfAny();
        var tenant = await tenants.GetOrCreateAsync(caller.OrganisationId, ct);
        var consent = new FundsConfirmationConsent
        {
            Id = FundsConfirmationConsent.NewId(),
            TenantId = tenant.Id,
            ClientId = caller.ClientId,
            Status = ConsentStatus.AwaitingAuthorisation,
            ApiVersion = version,
            CreationDateTime = now,
            ExpirationDateTime = expiration,
            DebtorSchemeName = debtor!.SchemeName,
            DebtorIdentification = debtor.Identification,
            DebtorName = debtor.Name,
            DebtorSecondaryIdentification = debtor.SecondaryIdentification,
        };
        db.FundsConfirmationConsents.Add(consent);
        await db.SaveChangesAsync(ct);
        return consent;
    }

    public Task<FundsConfirmationConsent> ReadConsentAsync(string consentId, CallerContext caller, ApiVersion version, CancellationToken ct)
        => FindOwnAsync(db.FundsConfirmationConsents.AsNoTracking(), consentId, caller, version, ct);

    public async Task DeleteConsentAsync(string consentId, CallerContext caller, ApiVersion version, CancellationToken ct)
    {
        var consent = await FindOwnAsync(db.FundsConfirmationConsents, consentId, caller, version, ct);
        consent.Apply(ConsentAction.Delete, ConsentActor.PartnerApp, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Answers whether the consented account can cover the amount, asked with the customer's token bound to the consent
    /// (<paramref name="statusName"/> names a consent status as the version does). A token of a consent the version
    /// may not use is refused as for any resource the token does not reach (403).
    /// </summary>
    public async Task<FundsConfirmation> ConfirmAsync(
        CallerContext caller, ApiVersion version, FundsQuestion question, Func<FundsConfirmationConsent, string> statusName, CancellationToken ct)
    {
        if (question.ConsentId != caller.ConsentId)
        {
            throw ObieException.Forbidden("The token is bound to another consent.");
        }

        var consent = await db.FundsConfirmationConsents.AsNoTracking().SingleOrDefaultAsync(c => c.Id == question.ConsentId && c.DeletedAt == null, ct)
            ?? throw ObieException.NotFound("funds-confirmation consent", question.ConsentId);
        if (consent.ClientId != caller.ClientId)
        {
            throw ObieException.Forbidden("The consent belongs to another client.");
        }

        if (!Reaches(consent, version))
        {
            throw ObieException.Forbidden($"The token's consent was created through {consent.ApiVersion.Name()}; it is used through {consent.ApiVersion.Name()} or newer.");
        }

        var now = clock.GetUtcNow();
        if (consent.Status == ConsentStatus.Authorised && consent.ExpirationDateTime is { } expiration && expiration <= now)
        {
            await Consents.ConsentHistory.RecordExpiryAsync(db, consent.Id, consent.TenantId, consent.ClientId, expiration, TimeProvider.System.GetUtcNow(), ct);
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidConsentStatus, "The consent has expired."))
                .Because(BankRefusals.Consent("expired"), $"Consent {consent.Id} expired at {BankRefusals.Time(expiration)}; ask the customer to authorise a new consent.");
        }

        if (consent.Status != ConsentStatus.Authorised)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidConsentStatus, $"The consent is {statusName(consent)}."))
                .Because(BankRefusals.Consent(BankRefusals.Kebab(consent.Status.ToString())),
                    $"Consent {consent.Id} is {consent.Status}; funds can be confirmed only with an Authorised consent.");
        }

        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == consent.AccountId, ct);
        if (account.Currency != question.Currency)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.UnsupportedCurrency,
                $"The account is in {account.Currency}; ask in that currency.", "Data.InstructedAmount.Currency"));
        }

        var confirmation = new FundsConfirmation
        {
            Id = FundsConfirmation.NewId(),
            TenantId = consent.TenantId,
            ConsentId = consent.Id,
            Reference = question.Reference,
            Amount = question.Amount,
            Currency = question.Currency,
            FundsAvailable = Overdraft.Allows(account.BookedBalanceMinor, account.CreditLimitMinor, question.AmountMinor),
            CreationDateTime = Timestamps.WholeSeconds(now),
        };
        db.FundsConfirmations.Add(confirmation);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Only the unique (consent, reference) index makes this the client's mistake; other failures stay server errors.
            db.ChangeTracker.Clear();
            if (!await db.FundsConfirmations.AnyAsync(f => f.ConsentId == confirmation.ConsentId && f.Reference == confirmation.Reference, ct))
            {
                throw;
            }

            throw ObieException.BadRequest(new ObError(ObieErrorCodes.RulesDuplicateReference,
                "This Reference was already used under this consent.", "Data.Reference"));
        }

        await usage.RecordAsync(db, ConsentKind.FundsConfirmation, consent.Id, now, ct);
        return confirmation;
    }

    /// <summary>The CBPII cross-version rule, in this one place: a consent is used through its version or a newer one.</summary>
    public static bool Reaches(FundsConfirmationConsent consent, ApiVersion version)
        => ApiVersions.MayUse(ConsentKind.FundsConfirmation, consent.ApiVersion, version);

    /// <summary>This client's live consent, readable through <paramref name="version"/> (the CBPII cross-version rule).</summary>
    private static async Task<FundsConfirmationConsent> FindOwnAsync(
        IQueryable<FundsConfirmationConsent> consents, string consentId, CallerContext caller, ApiVersion version, CancellationToken ct)
    {
        var consent = await consents.SingleOrDefaultAsync(c => c.Id == consentId && c.DeletedAt == null, ct)
            ?? throw ObieException.NotFound("funds-confirmation consent", consentId);
        if (consent.ClientId != caller.ClientId)
        {
            throw ObieException.Forbidden("The consent belongs to another client.");
        }

        return Reaches(consent, version)
            ? consent
            : throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceNotFound,
                $"No funds-confirmation consent has the id '{consentId}' in {version.Name()}: it was created through {consent.ApiVersion.Name()}; "
                + $"use it under {consent.ApiVersion.BasePath()}/cbpii (or a newer version)."));
    }
}
