using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Clock;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Fx;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Ledger;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Payments.Pipeline;
using OpenBanking.Sandbox.Payments.Screening;
using OpenBanking.Sandbox.Tenancy;

namespace OpenBanking.Sandbox.Payments.International;

/// <summary>
/// International payments in the domain's terms, for both versions: consents created (every rule of the currencies,
/// the rate type, the contract, the bearer and the payee's identifiers checked at once; idempotent), read and
/// funds-confirmed; payments made through the shared <see cref="PaymentPipeline"/> with <see cref="CheckInternationalConsent"/>.
/// </summary>
public sealed class InternationalService(
    SandboxDbContext db,
    TenantService tenants,
    WriteTransaction transaction,
    PaymentPipeline pipeline,
    CheckInternationalConsent consentStep,
    InternationalPricer pricer,
    ICreditorScreening screening,
    TenantClock clock)
{
    public const string CreateConsentOperation = "POST /international-payment-consents";
    public const string CreatePaymentOperation = "POST /international-payments";

    public async Task<InternationalPaymentConsent> CreateConsentAsync(
        CallerContext caller, IInternationalWire wire, string key, string requestHash, InternationalConsentRequest request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var operation = PaymentVersions.Operation(wire.Version, CreateConsentOperation);
        if (await Idempotency.FindAsync(db, caller.ClientId, operation, key, requestHash, now.UtcDateTime, ct, wire.ConsentKeyConflict) is { } existing)
        {
            return await db.InternationalPaymentConsents.AsNoTracking().SingleAsync(c => c.Id == existing.ResourceId, ct);
        }

        var tenant = await tenants.GetOrCreateAsync(caller.OrganisationId, ct);
        var consent = await NewConsentAsync(tenant.Id, caller.ClientId, wire.Version, request, Timestamps.WholeSeconds(now), ct);
        try
        {
            await transaction.RunAsync(async tx =>
            {
                Idempotency.Claim(tx, caller.ClientId, operation, key, requestHash, consent.Id, now.UtcDateTime);
                tx.InternationalPaymentConsents.Add(consent);
                await tx.SaveChangesAsync(ct);
            }, ct);
            return consent;
        }
        catch (DbUpdateException)
        {
            // A concurrent duplicate claimed the key first: answer with its consent.
            db.ChangeTracker.Clear();
            if (await Idempotency.FindAsync(db, caller.ClientId, operation, key, requestHash, now.UtcDateTime, ct, wire.ConsentKeyConflict) is { } winner)
            {
                return await db.InternationalPaymentConsents.AsNoTracking().SingleAsync(c => c.Id == winner.ResourceId, ct);
            }

            if (await Idempotency.PurgeExpiredAsync(db, caller.ClientId, operation, key, now.UtcDateTime, ct))
            {
                return await CreateConsentAsync(caller, wire, key, requestHash, request, ct);
            }

            throw;
        }
    }

    /// <summary>
    /// The consent the request asks for, with the bank's side decided: the payer's currency (from the named account,
    /// the UnitCurrency or a debit-currency InstructedAmount), the quote or contract rate, and the charges. Every
    /// problem at once.
    /// </summary>
    private async Task<InternationalPaymentConsent> NewConsentAsync(
        Guid tenantId, string clientId, ApiVersion version, InternationalConsentRequest r, DateTimeOffset now, CancellationToken ct)
    {
        const string eriPath = InternationalRequests.EriPath;
        var errors = new List<ObError>();
        string? debtorCurrency = null;
        if (r.Debtor is { } named)
        {
            debtorCurrency = await db.Accounts.AsNoTracking()
                .Where(a => a.TenantId == tenantId && a.SchemeName == named.SchemeName && a.Identification == named.Identification)
                .Select(a => a.Currency).FirstOrDefaultAsync(ct);
        }

        var eri = r.ExchangeRate;
        if (eri is not null && debtorCurrency is not null && debtorCurrency == r.CurrencyOfTransfer)
        {
            errors.Add(new ObError(ObieErrorCodes.FieldUnexpected,
                $"The DebtorAccount is in {debtorCurrency}, the CurrencyOfTransfer: nothing is converted, so there is no exchange rate to give.", eriPath));
            eri = null;
        }
        else if (eri is not null)
        {
            if (eri.UnitCurrency == r.CurrencyOfTransfer)
            {
                errors.Add(new ObError(ObieErrorCodes.FieldInvalid,
                    "UnitCurrency is the debtor account's currency, which differs from the CurrencyOfTransfer.", eriPath + ".UnitCurrency"));
            }
            else if (debtorCurrency is not null && eri.UnitCurrency != debtorCurrency)
            {
                errors.Add(new ObError(ObieErrorCodes.FieldInvalid,
                    $"UnitCurrency must be the DebtorAccount's currency ({debtorCurrency}).", eriPath + ".UnitCurrency"));
            }
            else
            {
                debtorCurrency ??= eri.UnitCurrency;
            }
        }

        if (r.InstructedCurrency != r.CurrencyOfTransfer)
        {
            // Shape B: the amount is what the payer is debited; shape C (a third currency) would need two conversions.
            if (debtorCurrency is not null && debtorCurrency != r.InstructedCurrency)
            {
                errors.Add(new ObError(ObieErrorCodes.UnsupportedCurrency,
                    $"InstructedAmount is in the CurrencyOfTransfer ({r.CurrencyOfTransfer}) or in the debtor account's currency ({debtorCurrency}); a third currency is not supported.",
                    InternationalRequests.Path + ".InstructedAmount.Currency"));
            }
            else
            {
                debtorCurrency ??= r.InstructedCurrency;
            }
        }

        if (pricer.Tariff.Refuses(r.ChargeBearer, r.CurrencyOfTransfer, r.LocalInstrument) is { } refusal)
        {
            errors.Add(new ObError(ObieErrorCodes.FieldInvalid, refusal, InternationalRequests.Path + ".ChargeBearer"));
        }

        var consent = ToConsent(r, tenantId, clientId, version, now, debtorCurrency, eri);
        errors.AddRange(screening.CheckIdentifiers(InternationalPricer.Creditor(consent)));

        FxContract? contract = null;
        if (consent.ContractId is { } contractId && debtorCurrency is not null)
        {
            contract = await pricer.Contracts.FindAsync(tenantId, contractId, ct);
            var problem = contract switch
            {
                null => $"No FX contract {contractId} was booked by this organisation (book one at /sandbox/v1/fx-contracts).",
                _ when contract.UnitCurrency != debtorCurrency || contract.QuoteCurrency != r.CurrencyOfTransfer
                    => $"The FX contract {contractId} is for {contract.UnitCurrency}/{contract.QuoteCurrency}, not {debtorCurrency}/{r.CurrencyOfTransfer}.",
                _ when contract.Side != FxSide.Buy => $"The FX contract {contractId} sells {contract.QuoteCurrency}; a payment needs one that buys it (Side Buy).",
                _ when contract.ExpiresAt <= now.UtcDateTime => $"The FX contract {contractId} expired at {contract.ExpiresAt:yyyy-MM-dd'T'HH:mm:ss'+00:00'}.",
                _ => null,
            };
            if (problem is not null)
            {
                errors.Add(new ObError(ObieErrorCodes.FieldInvalid, problem, InternationalRequests.EriPath + ".ContractIdentification"));
                contract = null;
            }
            else if (consent.AgreedRate != contract!.Rate)
            {
                errors.Add(new ObError(ObieErrorCodes.FieldInvalid,
                    $"ExchangeRate must be the contract's rate, {InternationalRequests.RateText(contract.Rate)}.", InternationalRequests.EriPath + ".ExchangeRate"));
                contract = null;
            }
        }

        if (errors.Count > 0)
        {
            throw ObieException.BadRequest([.. errors]);
        }

        if (debtorCurrency is not null && debtorCurrency != r.CurrencyOfTransfer)
        {
            var quote = await pricer.Desk.QuoteAsync(tenantId, debtorCurrency, r.CurrencyOfTransfer, now, ct);
            (consent.QuotedRate, consent.QuotedMidRate, consent.QuotedAt) = contract is not null
                ? (contract.Rate, quote.MidRate, new DateTimeOffset(DateTime.SpecifyKind(contract.CreatedAt, DateTimeKind.Utc)))
                : (quote.Rate, quote.MidRate, now);
            if (consent.RateType == "Actual")
            {
                consent.QuoteExpiresAt = now + pricer.ActualValidity;
            }
        }

        if (debtorCurrency is not null)
        {
            var (price, _) = await pricer.PriceAsync(consent, debtorCurrency, now, ct);
            if (price.SentMinor <= 0)
            {
                throw ObieException.BadRequest(new ObError(ObieErrorCodes.FieldInvalid,
                    $"The amount does not cover the charges taken from it ({Money.DisplayIn(price.DeductedFeeMinor, r.CurrencyOfTransfer)}).",
                    InternationalRequests.Path + ".InstructedAmount.Amount"));
            }

            if (contract is not null && contract.RemainingMinor < InternationalLedger.ContractAmount(contract, new InternationalTransfer
                {
                    PaymentId = string.Empty, ConsentId = string.Empty, DebitCurrency = debtorCurrency, TransferCurrency = r.CurrencyOfTransfer,
                    ChargeBearer = r.ChargeBearer, ChargesJson = "[]", PrincipalMinor = price.PrincipalMinor, TransferMinor = price.TransferMinor,
                }))
            {
                throw ObieException.BadRequest(new ObError(ObieErrorCodes.FieldInvalid,
                    $"The FX contract {contract.Id} has {Money.DisplayIn(contract.RemainingMinor, contract.NotionalCurrency)} left, less than this payment needs.",
                    InternationalRequests.EriPath + ".ContractIdentification"));
            }

            consent.ChargesJson = InternationalPricing.ChargesJson(price.Charges);
        }

        return consent;
    }

    /// <summary>The consent as the bank keeps it, before pricing (the benchmark prepares consents with it too).</summary>
    public static InternationalPaymentConsent ToConsent(
        InternationalConsentRequest r, Guid tenantId, string clientId, ApiVersion version, DateTimeOffset now, string? debtorCurrency, ExchangeRateRequest? eri)
        => new()
        {
            Id = InternationalPaymentConsent.NewId(),
            TenantId = tenantId,
            ClientId = clientId,
            Status = PaymentConsentStatus.AwaitingAuthorisation,
            ApiVersion = version,
            CreationDateTime = now,
            StatusUpdateDateTime = now,
            InitiationJson = r.Initiation.GetRawText(),
            RiskJson = r.Risk.GetRawText(),
            AuthorisationJson = r.Authorisation?.GetRawText(),
            ScaSupportDataJson = r.ScaSupportData?.GetRawText(),
            ReadRefundAccount = r.ReadRefundAccount,
            InstructedAmountMinor = r.InstructedMinor,
            InstructedCurrency = r.InstructedCurrency,
            CurrencyOfTransfer = r.CurrencyOfTransfer,
            DebtorCurrency = debtorCurrency,
            ChargeBearer = r.ChargeBearer,
            LocalInstrument = r.LocalInstrument,
            InstructionPriority = r.InstructionPriority,
            DestinationCountryCode = r.DestinationCountryCode,
            CreditorName = ColumnText.Truncate(r.CreditorName, 140),
            CreditorSchemeName = r.Creditor.SchemeName,
            CreditorIdentification = r.Creditor.Identification,
            CreditorAgentSchemeName = r.AgentSchemeName,
            CreditorAgentIdentification = r.AgentIdentification,
            Reference = r.Reference,
            DebtorSchemeName = r.Debtor?.SchemeName,
            DebtorIdentification = r.Debtor?.Identification,
            RateType = eri?.RateType,
            AgreedRate = eri?.RateType == "Agreed" ? eri.ExchangeRate : null,
            ContractId = eri?.RateType == "Agreed" ? eri.ContractIdentification : null,
        };

    /// <summary>This client's consent of this version.</summary>
    public async Task<InternationalPaymentConsent> FindConsentAsync(string consentId, CallerContext caller, ApiVersion version, CancellationToken ct)
    {
        var consent = await db.InternationalPaymentConsents.AsNoTracking().SingleOrDefaultAsync(c => c.Id == consentId, ct)
            ?? throw ObieException.NotFound("international-payment consent", consentId);
        if (consent.ClientId != caller.ClientId)
        {
            throw ObieException.Forbidden("The consent belongs to another client.");
        }

        PaymentVersions.RequireReadable(ConsentKind.InternationalPayment, consent.ApiVersion, version, "international-payment consent", consentId,
            "international-payment-consents");
        return consent;
    }

    /// <summary>
    /// Whether the payer's account covers the whole debit now (principal at the rate a payment now would get, and the
    /// payer's fees): asked with the customer's token bound to the consent, while it is Authorised. Nothing is reserved.
    /// </summary>
    public async Task<(InternationalPaymentConsent Consent, bool Available)> FundsAsync(
        CallerContext caller, string consentId, IInternationalWire wire, CancellationToken ct)
    {
        if (caller.ConsentId is null)
        {
            throw ObieException.Forbidden("Funds confirmation of a payment consent needs the customer's token.");
        }

        if (caller.ConsentId != consentId)
        {
            throw ObieException.Forbidden("The token is bound to another consent.");
        }

        var consent = await FindConsentAsync(consentId, caller, wire.Version, ct);
        if (consent.Status != PaymentConsentStatus.Authorised)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.ResourceInvalidConsentStatus,
                $"The consent is {wire.ConsentStatus(consent.Status)}; funds are confirmed only while it is {wire.ConsentStatus(PaymentConsentStatus.Authorised)}."));
        }

        var account = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == consent.DebtorAccountId, ct);
        var (price, _) = await pricer.PriceAsync(consent, account.Currency, clock.GetUtcNow(), ct);
        var available = InternationalPricer.Scenario(consent) != Scenario.InsufficientFunds
            && Overdraft.Allows(account.BookedBalanceMinor, account.CreditLimitMinor, price.TotalDebitMinor);
        return (consent, available);
    }

    public async Task<DomesticPayment> SubmitAsync(CallerContext caller, IInternationalWire wire, string key, string requestHash, PaymentInstruction instruction, CancellationToken ct)
    {
        var context = new PaymentContext(caller, key, requestHash, PaymentVersions.Operation(wire.Version, CreatePaymentOperation), instruction,
            clock.GetUtcNow().UtcDateTime, wire.Version)
        {
            KindData = new InternationalSubmission(),
            // v4.0 lists no 409 on POST /international-payments: a reused key keeps v3.1.11's 400 (Header.Invalid, U006).
            KeyConflict = KeyConflict.BadRequest,
        };
        var done = await pipeline.RunAsync(context, consentStep, ct);
        return done.Repeated ?? done.RequirePayment();
    }

    /// <summary>This client's international payment of this version, with its transfer and consent.</summary>
    public async Task<InternationalParts> FindPaymentAsync(string paymentId, CallerContext caller, ApiVersion version, CancellationToken ct)
    {
        var payment = await db.DomesticPayments.AsNoTracking().SingleOrDefaultAsync(p => p.Id == paymentId && p.Kind == PaymentKind.International, ct)
            ?? throw ObieException.NotFound("international payment", paymentId);
        if (payment.ClientId != caller.ClientId)
        {
            throw ObieException.Forbidden("The payment belongs to another client.");
        }

        PaymentVersions.RequireReadable(ConsentKind.InternationalPayment, payment.ApiVersion, version, "international payment", paymentId, "international-payments");
        return await PartsAsync(payment, ct);
    }

    public async Task<InternationalParts> PartsAsync(DomesticPayment payment, CancellationToken ct)
    {
        var transfer = await db.InternationalTransfers.AsNoTracking().SingleAsync(t => t.PaymentId == payment.Id, ct);
        var consent = await db.InternationalPaymentConsents.AsNoTracking().SingleAsync(c => c.Id == payment.ConsentId, ct);
        var debtor = await db.Accounts.AsNoTracking().SingleAsync(a => a.Id == payment.DebtorAccountId, ct);
        return new InternationalParts(payment, transfer, consent, debtor);
    }
}

/// <summary>An international payment with its transfer, consent and payer's account (what its responses show).</summary>
public sealed record InternationalParts(DomesticPayment Payment, InternationalTransfer Transfer, InternationalPaymentConsent Consent, Account Debtor);
