namespace OpenBanking.Sandbox.Bank;

/// <summary>
/// Books a schedule's events in time order: amounts known only then (interest, card repayments), running balances,
/// the other leg of transfers between own accounts, the accounts' final balances and their monthly statements.
/// </summary>
internal static class Booking
{
    public static void Post(GenerationContext context, EventSchedule schedule)
    {
        var events = schedule.Events;
        var balances = new Dictionary<Account, long>();
        var booked = new List<BankTransaction>();
        long BalanceOf(Account account) => balances.TryGetValue(account, out var b) ? b : account.OpeningBalanceMinor;

        foreach (var e in events.Where(e => !e.Pending).OrderBy(e => e.When).ThenBy(e => e.Account.Id, StringComparer.Ordinal))
        {
            var balance = BalanceOf(e.Account);
            var amount = e.Amount switch
            {
                PlannedAmount.Fixed f => f.SignedMinor,
                PlannedAmount.Interest i => balance <= 0 ? 0 : (long)Math.Round(balance * i.AnnualRatePercent / 100m / 12m, MidpointRounding.ToEven),
                PlannedAmount.SweepFrom s => -Math.Max(0, Math.Min(-BalanceOf(s.Card), balance + e.Account.CreditLimitMinor)),
                PlannedAmount.OverdrawTo o => Math.Min(-1, o.BalanceMinor - balance),
                _ => throw new InvalidOperationException($"Unknown planned amount {e.Amount}."),
            };

            // The bank declines any debit that would take the account past its arranged limit.
            if (amount == 0 || (amount < 0 && balance + amount < -e.Account.CreditLimitMinor))
            {
                continue;
            }

            balance += amount;
            balances[e.Account] = balance;
            booked.Add(Book(context, e, amount, balance));
            if (e.CreditTo is { } credit)
            {
                var credited = credit.CreditMinor ?? -amount;
                var payeeBalance = BalanceOf(credit.Account) + credited;
                balances[credit.Account] = payeeBalance;
                var leg = new PlannedEvent(credit.Account, e.When.AddMinutes(1), new PlannedAmount.Fixed(credited),
                    $"FROM {e.Account.Name} {e.Information}".ToUpperInvariant(), TransactionCode.FasterPaymentIn)
                {
                    Counterparty = Counterparty.Of(e.Account),
                };
                booked.Add(Book(context, leg, credited, payeeBalance));
            }
        }

        foreach (var e in events.Where(e => e.Pending))
        {
            var authorised = e.Amount as PlannedAmount.Fixed ?? throw new InvalidOperationException("A pending event has a fixed amount.");
            Book(context, e, authorised.SignedMinor, balanceAfter: null);
        }

        foreach (var (account, balance) in balances)
        {
            account.BookedBalanceMinor = balance;
        }

        AddStatements(context, booked.GroupBy(t => t.AccountId), events.Select(e => e.Account).Concat(balances.Keys).Distinct());
    }

    private static BankTransaction Book(GenerationContext context, PlannedEvent e, long signedAmount, long? balanceAfter)
    {
        var transaction = new BankTransaction
        {
            TenantId = context.TenantId,
            AccountId = e.Account.Id,
            TransactionId = context.NextId("txn"),
            Reference = e.Code.CarriesReference ? e.Information[..Math.Min(35, e.Information.Length)] : null,
            IsCredit = signedAmount > 0,
            Status = balanceAfter is null ? TransactionStatus.Pending : TransactionStatus.Booked,
            BookingDateTime = e.When,
            ValueDateTime = e.When,
            AmountMinor = Math.Abs(signedAmount),
            Currency = e.Account.Currency,
            Information = e.Information,
            MerchantName = e.Merchant?.Name,
            MerchantCategoryCode = e.Merchant?.Mcc,
            BankCode = e.Code.BankCode,
            BankSubCode = e.Code.SubCode,
            ProprietaryCode = e.Code.Proprietary,
            CounterpartyName = e.Counterparty?.Name,
            CounterpartySchemeName = e.Counterparty?.SchemeName,
            CounterpartyIdentification = e.Counterparty?.Identification,
            BalanceAfterMinor = balanceAfter,
            CardPan = e.Code == TransactionCode.CardPayment ? context.Identifiers.MaskedCardPan() : null,
        };
        context.Bank.Transactions.Add(transaction);
        e.Account.TransactionCount++;
        if (transaction.IsCredit)
        {
            e.Account.CreditTransactionCount++;
        }

        e.OnBooked?.Invoke(e.When, Math.Abs(signedAmount));
        return transaction;
    }

    /// <summary>One statement per whole calendar month since the account opened, chaining opening to closing balances.</summary>
    private static void AddStatements(GenerationContext context, IEnumerable<IGrouping<string, BankTransaction>> bookedByAccount, IEnumerable<Account> accounts)
    {
        var byAccount = bookedByAccount.ToDictionary(g => g.Key, g => g.OrderBy(t => t.BookingDateTime).ToList());
        foreach (var account in accounts)
        {
            var booked = byAccount.TryGetValue(account.Id, out var list) ? list : [];
            var balance = account.OpeningBalanceMinor;
            var start = new DateTime(account.OpeningDate.Year, account.OpeningDate.Month, 1, 0, 0, 0, DateTimeKind.Utc);
            var index = 0;
            while (start.AddMonths(1) <= context.Today)
            {
                var end = start.AddMonths(1);
                long credits = 0, debits = 0;
                while (index < booked.Count && booked[index].BookingDateTime < end)
                {
                    if (booked[index].IsCredit)
                    {
                        credits += booked[index].AmountMinor;
                    }
                    else
                    {
                        debits += booked[index].AmountMinor;
                    }

                    index++;
                }

                context.Bank.Statements.Add(new Statement
                {
                    Id = context.NextId("stm"),
                    TenantId = context.TenantId,
                    AccountId = account.Id,
                    StartDateTime = start,
                    EndDateTime = end.AddSeconds(-1),
                    CreationDateTime = end.AddHours(4),
                    OpeningBalanceMinor = balance,
                    ClosingBalanceMinor = balance + credits - debits,
                    TotalCreditsMinor = credits,
                    TotalDebitsMinor = debits,
                });
                balance += credits - debits;
                start = end;
            }
        }
    }
}
