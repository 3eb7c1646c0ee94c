using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Fx;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Ledger;

namespace OpenBanking.Sandbox.Payments.International;

/// <summary>
/// The money of a payment abroad on the ledger (docs/international-payments.md "Postings"), inside the caller's
/// transaction. When the payer is debited: the rate of an Indicative payment is taken now, an Agreed payment uses up its
/// contract, and two postings move the money — <c>:debit</c> in the debit currency (payer → FX position at mid, spread
/// and fees to P&amp;L) and <c>:fx</c> in the transfer currency (FX position → clearing, fees deducted from what is sent
/// to P&amp;L); at settlement <c>:settle</c> moves what is sent out of clearing; a failed settlement reverses the first
/// two line by line from what was written. Every posting is single-currency and balanced, so the invariant holds per
/// currency by construction; the FX position accounts carry the bank's open position.
/// </summary>
public sealed class InternationalLedger(IFxDesk desk, IFxContracts contracts, IChargeTariff tariff, IFaultInjector faults)
{
    public const string FxPostingKind = "PaymentFx";

    /// <summary>Whether the payment converts at the rate of the moment it is debited (Indicative, or no ExchangeRateInformation).</summary>
    public static bool RateAtDebit(InternationalTransfer transfer)
        => transfer.DebitCurrency != transfer.TransferCurrency && transfer.RateType is null or "Indicative";

    /// <summary>
    /// Takes the money from the payer, or rejects the payment for funds; null when done either way, else why it cannot be
    /// made (an Agreed payment's contract expired or used up meanwhile) — nothing is written then.
    /// </summary>
    public async Task<string?> DebitAsync(
        SandboxDbContext tx, DomesticPayment payment, InternationalTransfer transfer, InternationalPaymentConsent consent, Account debtor,
        string? reference, Scenario scenario, DateTime now, CancellationToken ct)
    {
        var at = new DateTimeOffset(DateTime.SpecifyKind(now, DateTimeKind.Utc));
        if (RateAtDebit(transfer))
        {
            // "The market rate on the date of execution (date on which the DebtorAccount is debited)."
            var quote = await desk.QuoteAsync(transfer.TenantId, transfer.DebitCurrency, transfer.TransferCurrency, at, ct);
            var fees = await tariff.FeesAsync(transfer.TenantId, transfer.DebitCurrency, transfer.TransferCurrency, consent.LocalInstrument,
                consent.InstructionPriority == "Urgent", ct);
            Apply(payment, transfer, InternationalPricing.Price(consent.InstructedAmountMinor, consent.InstructedCurrency, transfer.DebitCurrency,
                transfer.TransferCurrency, quote.Rate, quote.MidRate, fees, transfer.ChargeBearer), quote.Rate, quote.MidRate, at);
        }

        if (transfer.ContractId is { } contractId)
        {
            var contract = await contracts.FindAsync(transfer.TenantId, contractId, ct);
            var used = contract is not null && await contracts.TryUseAsync(tx, contractId, ContractAmount(contract, transfer), now, ct);
            if (!used)
            {
                return $"The FX contract {contractId} has expired or has less left than this payment needs.";
            }
        }

        var ledger = new LedgerStore(tx);
        var balance = scenario == Scenario.InsufficientFunds ? null : await ledger.TryDebitAsync(debtor.Id, payment.AmountMinor, ct);
        if (balance is not { } after)
        {
            if (transfer.ContractId is { } restore && await contracts.FindAsync(transfer.TenantId, restore, ct) is { } contract)
            {
                await contracts.RestoreAsync(tx, restore, ContractAmount(contract, transfer), ct);
            }

            payment.Status = PaymentStatus.Rejected;
            payment.StatusReason = PaymentStatusReasons.InsufficientFunds;
            payment.Debited = false;
            return null;
        }

        faults.After("account-debited");
        foreach (var posting in DebitPostings(payment, transfer))
        {
            ledger.Add(posting, payment.TenantId, payment.Id, now);
        }

        var transaction = PaymentTransactions.For(debtor, payment.Id, credit: false, payment.AmountMinor, after, Timestamps.WholeSeconds(now),
            reference, $"Payment abroad to {payment.CreditorName} ({Money.DisplayIn(transfer.SentMinor, transfer.TransferCurrency)})",
            payment.CreditorName, null, payment.CreditorIdentification);
        if (transfer.ExchangeRate is { } rate)
        {
            transaction.FxSourceCurrency = transfer.DebitCurrency;
            transaction.FxTargetCurrency = transfer.TransferCurrency;
            transaction.FxUnitCurrency = transfer.DebitCurrency;
            transaction.FxRate = rate;
            transaction.FxContractId = transfer.ContractId;
            transaction.FxQuotationDate = transfer.RateAt;
            transaction.FxInstructedAmount = Money.Format(consent.InstructedAmountMinor, consent.InstructedCurrency);
            transaction.FxInstructedCurrency = consent.InstructedCurrency;
        }

        if (transfer.DebtorFeeMinor > 0)
        {
            transaction.ChargeMinor = transfer.DebtorFeeMinor;
            transaction.ChargeCurrency = transfer.DebitCurrency;
        }

        tx.Transactions.Add(transaction);
        payment.Debited = true;
        payment.Status = PaymentStatus.Pending;
        payment.StatusReason = null;
        return null;
    }

    /// <summary>The amounts of <paramref name="price"/> onto the payment and its transfer (the rate taken at <paramref name="at"/>).</summary>
    public static void Apply(DomesticPayment payment, InternationalTransfer transfer, InternationalPrice price, decimal? rate, decimal? mid, DateTimeOffset? at)
    {
        payment.AmountMinor = price.TotalDebitMinor;
        transfer.PrincipalMinor = price.PrincipalMinor;
        transfer.DebtorFeeMinor = price.DebtorFeeMinor;
        transfer.TransferMinor = price.TransferMinor;
        transfer.DeductedFeeMinor = price.DeductedFeeMinor;
        transfer.SentMinor = price.SentMinor;
        transfer.ExchangeRate = rate;
        transfer.MidRate = mid;
        transfer.RateAt = at;
        transfer.ChargesJson = InternationalPricing.ChargesJson(price.Charges);
    }

    /// <summary>
    /// The <c>:debit</c> posting (debit currency) and, for a conversion, the <c>:fx</c> posting (transfer currency).
    /// The spread is the principal less the transfer amount at mid; zero lines are left out.
    /// </summary>
    public static IEnumerable<Posting> DebitPostings(DomesticPayment payment, InternationalTransfer transfer)
    {
        var a = transfer.DebitCurrency;
        var b = transfer.TransferCurrency;
        if (a == b)
        {
            yield return Build(payment.Id + ":debit", PostingKinds.PaymentDebit, a,
                (payment.DebtorAccountId, -payment.AmountMinor),
                (LedgerAccounts.Clearing(a), transfer.SentMinor),
                (LedgerAccounts.FeesPnl(a), transfer.DebtorFeeMinor + transfer.DeductedFeeMinor));
            yield break;
        }

        var atMid = transfer.MidRate is { } mid ? InternationalPricing.Convert(transfer.TransferMinor, b, a, mid, divide: true) : transfer.PrincipalMinor;
        yield return Build(payment.Id + ":debit", PostingKinds.PaymentDebit, a,
            (payment.DebtorAccountId, -payment.AmountMinor),
            (LedgerAccounts.FxPosition(a), atMid),
            (LedgerAccounts.FxPnl(a), transfer.PrincipalMinor - atMid),
            (LedgerAccounts.FeesPnl(a), transfer.DebtorFeeMinor));
        yield return Build(payment.Id + ":fx", FxPostingKind, b,
            (LedgerAccounts.FxPosition(b), -transfer.TransferMinor),
            (LedgerAccounts.Clearing(b), transfer.SentMinor),
            (LedgerAccounts.FeesPnl(b), transfer.DeductedFeeMinor));
    }

    /// <summary>Clearing pays what is sent, in the transfer currency, to the payee's account here or to the settlement account.</summary>
    public static Posting Settlement(DomesticPayment payment, InternationalTransfer transfer)
        => Posting.PaymentSettlement(payment.Id, payment.CreditorAccountId, transfer.TransferCurrency, transfer.SentMinor);

    /// <summary>Undoes the payment's debit and FX postings, line by line from what was written (the rate then, not now).</summary>
    public async Task ReverseAsync(SandboxDbContext tx, DomesticPayment payment, InternationalTransfer transfer, DateTime now, CancellationToken ct)
    {
        var id = payment.Id;
        string[] postings = [id + ":debit", id + ":fx"];
        var lines = await tx.LedgerEntries.AsNoTracking().Where(e => e.PaymentId == id && postings.Contains(e.PostingId)).ToListAsync(ct);
        tx.LedgerEntries.AddRange(lines.Select(l => new LedgerEntry
        {
            TenantId = l.TenantId,
            PostingId = l.PostingId + ":reversal",
            Kind = PostingKinds.Reversal,
            LedgerAccount = l.LedgerAccount,
            Currency = l.Currency,
            AmountMinor = -l.AmountMinor,
            PaymentId = id,
            CreatedAt = now,
        }));
        if (transfer.ContractId is { } contractId && await contracts.FindAsync(transfer.TenantId, contractId, ct) is { } contract)
        {
            await contracts.RestoreAsync(tx, contractId, ContractAmount(contract, transfer), ct);
        }
    }

    /// <summary>What the payment uses of a contract, in the contract's notional currency.</summary>
    public static long ContractAmount(FxContract contract, InternationalTransfer transfer)
        => contract.NotionalCurrency == transfer.TransferCurrency ? transfer.TransferMinor : transfer.PrincipalMinor;

    private static Posting Build(string id, string kind, string currency, params (string Account, long Amount)[] lines)
        => Posting.Create(id, kind, currency, [.. lines.Where(l => l.Amount != 0).Select(l => new PostingLine(l.Account, l.Amount))]);
}
