namespace OpenBanking.Sandbox.Bank;

/// <summary>
/// What happens to a customer's accounts over their history: recurring income and payments (with the standing orders
/// and direct debits behind them), card spending, interest and card repayments. Collected, then booked in time
/// order by <see cref="Booking"/>.
/// </summary>
internal sealed class EventSchedule(GenerationContext context)
{
    private static readonly Merchant[] Groceries =
        [new("Tesco", "5411"), new("Sainsbury's", "5411"), new("Waitrose", "5411"), new("Aldi", "5411"), new("Lidl", "5411"), new("M&S Food", "5411")];

    private static readonly (Merchant Merchant, int MinPence, int MaxPence)[] Everyday =
    [
        (new("Pret A Manger", "5814"), 250, 900), (new("Costa Coffee", "5814"), 250, 700), (new("TfL Travel", "4111"), 170, 900),
        (new("Trainline", "4112"), 1200, 9500), (new("Uber", "4121"), 700, 3200), (new("Wagamama", "5812"), 1400, 5500),
        (new("Nando's", "5812"), 1200, 4800), (new("Amazon", "5999"), 600, 8900), (new("Boots", "5912"), 300, 4200),
        (new("Shell", "5541"), 3000, 8500), (new("John Lewis", "5311"), 1500, 15000), (new("Deliveroo", "5812"), 1500, 4500),
    ];

    private DateTime Today => context.Today;
    private Bogus.Faker Faker => context.Faker;

    public List<PlannedEvent> Events { get; } = [];

    public void Salary(Account account, string employer, long monthly, DateTime from)
    {
        foreach (var day in MonthlyDays(25, from))
        {
            var payday = day.DayOfWeek switch { DayOfWeek.Saturday => day.AddDays(-1), DayOfWeek.Sunday => day.AddDays(-2), _ => day };
            Events.Add(new PlannedEvent(account, payday.AddHours(6), new PlannedAmount.Fixed(monthly), $"{employer} SALARY", TransactionCode.Salary)
            {
                Counterparty = new(employer),
            });
        }
    }

    public void Rent(Account account, string landlord, long monthly, DateTime from)
        => StandingOrderPayments(account, landlord, "RENT", monthly, 1, from);

    public void StandingOrderPayments(Account account, string payee, string reference, long amount, int dayOfMonth, DateTime from)
    {
        // A payee at a bank that shares this bank's sort-code prefix.
        const string scheme = "UK.OBIE.SortCodeAccountNumber";
        var identification = context.Identifiers.AccountAt(Identifiers.SortCode[..2]);
        context.Bank.StandingOrders.Add(NewStandingOrder(account, payee, scheme, identification, reference, amount, dayOfMonth, from, hour: 7));
        foreach (var day in MonthlyDays(dayOfMonth, from))
        {
            Events.Add(new PlannedEvent(account, day.AddHours(7), new PlannedAmount.Fixed(-amount), $"{payee} {reference}", TransactionCode.StandingOrder)
            {
                Counterparty = new(payee, scheme, identification),
            });
        }
    }

    /// <summary>A monthly standing order between the customer's own accounts; <paramref name="creditMinor"/> if it arrives in another currency.</summary>
    public void Transfer(Account from, Account to, long amount, int dayOfMonth, DateTime start, string reference, long? creditMinor = null)
    {
        context.Bank.StandingOrders.Add(NewStandingOrder(from, to.Name, to.SchemeName, to.Identification, reference, amount, dayOfMonth, start, hour: 8));
        foreach (var day in MonthlyDays(dayOfMonth, start))
        {
            Events.Add(new PlannedEvent(from, day.AddHours(8), new PlannedAmount.Fixed(-amount), reference, TransactionCode.StandingOrder)
            {
                Counterparty = Counterparty.Of(to),
                CreditTo = new(to, creditMinor ?? amount),
            });
        }
    }

    public void DirectDebitPayments(Account account, string payee, int dayOfMonth, int minPence, int maxPence, DateTime from, bool quarterly = false)
    {
        var mandate = context.Identifiers.Mandate(payee);
        var debit = new DirectDebit
        {
            Id = context.NextId("ddi"),
            TenantId = context.TenantId,
            AccountId = account.Id,
            MandateIdentification = mandate,
            Name = payee,
            Currency = account.Currency,
            Frequency = quarterly ? "Quarterly" : "Monthly",
        };
        context.Bank.DirectDebits.Add(debit);
        foreach (var day in MonthlyDays(dayOfMonth, from))
        {
            if (quarterly && day.Month % 3 != 1)
            {
                continue;
            }

            var amount = Faker.Random.Long(minPence, maxPence);
            Events.Add(new PlannedEvent(account, day.AddHours(5), new PlannedAmount.Fixed(-amount), $"{payee} {mandate}", TransactionCode.DirectDebit)
            {
                Counterparty = new(payee),
                OnBooked = (when, paid) => { debit.PreviousPaymentDateTime = when; debit.PreviousPaymentAmountMinor = paid; },
            });
        }
    }

    public void CardSpending(Account account, DateTime from, double perDay)
    {
        for (var day = from; day < Today; day = day.AddDays(1))
        {
            if (Faker.Random.Double() < 0.35 * Math.Min(perDay, 1))
            {
                var grocer = Faker.PickRandom(Groceries);
                CardPayment(account, day.AddHours(Faker.Random.Int(9, 20)).AddMinutes(Faker.Random.Int(0, 59)), Faker.Random.Int(1200, 9500), grocer);
            }

            var count = Poisson(perDay);
            for (var i = 0; i < count; i++)
            {
                var (merchant, minPence, maxPence) = Faker.PickRandom(Everyday);
                CardPayment(account, day.AddHours(Faker.Random.Int(7, 22)).AddMinutes(Faker.Random.Int(0, 59)), Faker.Random.Int(minPence, maxPence), merchant);
            }
        }

        // Card payments of the last day are still authorisations, not yet booked.
        for (var i = 0; i < Faker.Random.Int(1, 3) && account.OpeningDate < Today; i++)
        {
            var (merchant, minPence, maxPence) = Faker.PickRandom(Everyday);
            CardPayment(account, Today.AddDays(-1).AddHours(18 + i), Faker.Random.Int(minPence, maxPence), merchant, pending: true);
        }
    }

    public void CardPayment(Account account, DateTime when, int pence, Merchant merchant, bool pending = false)
        => CardPayment(account, when, new PlannedAmount.Fixed(-pence), merchant, pending);

    public void CardPayment(Account account, DateTime when, PlannedAmount amount, Merchant merchant, bool pending = false)
        => Events.Add(new PlannedEvent(account, when, amount, $"{merchant.Name} {when:dd MMM}".ToUpperInvariant(), TransactionCode.CardPayment)
        {
            Merchant = merchant,
            Counterparty = new(merchant.Name),
            Pending = pending,
        });

    public void TransferIn(Account account, DateTime when, long amount, string payer, string reference)
        => Events.Add(new PlannedEvent(account, when, new PlannedAmount.Fixed(amount), $"{payer} {reference}", TransactionCode.FasterPaymentIn)
        {
            Counterparty = new(payer),
        });

    /// <summary>Monthly interest on the 1st, on the balance of that day.</summary>
    public void Interest(Account account, DateTime from, decimal annualRatePercent)
    {
        foreach (var day in MonthlyDays(1, from.AddMonths(1)))
        {
            Events.Add(new PlannedEvent(account, day.AddHours(2), new PlannedAmount.Interest(annualRatePercent),
                $"INTEREST {annualRatePercent:0.00}%", TransactionCode.Interest));
        }
    }

    /// <summary>On the 28th the card's whole balance is paid from <paramref name="from"/>.</summary>
    public void CardRepayments(Account from, Account card, DateTime start)
    {
        foreach (var day in MonthlyDays(28, start.AddMonths(1)))
        {
            Events.Add(new PlannedEvent(from, day.AddHours(9), new PlannedAmount.SweepFrom(card), "SANDBOX BANK MASTERCARD", TransactionCode.FasterPaymentOut)
            {
                Counterparty = new("Sandbox Bank Mastercard", card.SchemeName, card.Identification),
                CreditTo = new(card),
            });
        }
    }

    /// <summary>When the last fixed credit so far will be booked, or <paramref name="otherwise"/> if there is none.</summary>
    public DateTime LastCredit(DateTime otherwise)
        => Events.Where(e => e.Amount is PlannedAmount.Fixed { SignedMinor: > 0 } && !e.Pending).Select(e => e.When).DefaultIfEmpty(otherwise).Max();

    private StandingOrder NewStandingOrder(Account account, string payee, string schemeName, string identification, string reference, long amount, int dayOfMonth, DateTime from, int hour) => new()
    {
        Id = context.NextId("sto"),
        TenantId = context.TenantId,
        AccountId = account.Id,
        Frequency = $"IntrvlMnthDay:01:{dayOfMonth:D2}",
        Reference = reference,
        FirstPaymentDateTime = MonthlyDays(dayOfMonth, from).FirstOrDefault(Today).AddHours(hour),
        NextPaymentDateTime = NextMonthly(dayOfMonth).AddHours(hour),
        AmountMinor = amount,
        Currency = account.Currency,
        CreditorName = payee,
        CreditorSchemeName = schemeName,
        CreditorIdentification = identification,
    };

    /// <summary>The given day of each month (the month's last day if shorter) from <paramref name="from"/> until yesterday.</summary>
    private IEnumerable<DateTime> MonthlyDays(int dayOfMonth, DateTime from)
    {
        var month = new DateTime(from.Year, from.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        for (; month <= Today; month = month.AddMonths(1))
        {
            var day = month.AddDays(Math.Min(dayOfMonth, DateTime.DaysInMonth(month.Year, month.Month)) - 1);
            if (day >= from && day < Today)
            {
                yield return day;
            }
        }
    }

    private DateTime NextMonthly(int dayOfMonth)
    {
        var month = new DateTime(Today.Year, Today.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var day = month.AddDays(Math.Min(dayOfMonth, DateTime.DaysInMonth(month.Year, month.Month)) - 1);
        return day >= Today ? day : month.AddMonths(1).AddDays(dayOfMonth - 1);
    }

    private int Poisson(double mean)
    {
        var limit = Math.Exp(-mean);
        var product = Faker.Random.Double();
        var count = 0;
        while (product > limit)
        {
            count++;
            product *= Faker.Random.Double();
        }

        return count;
    }
}
