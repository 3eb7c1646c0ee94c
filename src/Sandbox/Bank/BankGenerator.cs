using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Bogus;
using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Bank;

/// <summary>Everything generated for one tenant's bank.</summary>
public sealed class GeneratedBank
{
    public List<Customer> Customers { get; } = [];
    public List<Account> Accounts { get; } = [];
    public List<BankTransaction> Transactions { get; } = [];
    public List<Beneficiary> Beneficiaries { get; } = [];
    public List<DirectDebit> DirectDebits { get; } = [];
    public List<StandingOrder> StandingOrders { get; } = [];
    public List<ScheduledPayment> ScheduledPayments { get; } = [];
    public List<Statement> Statements { get; } = [];
    public List<Offer> Offers { get; } = [];
}

/// <summary>
/// Generates a tenant's bank from its seed and creation date alone, so the same tenant always gets identical data
/// (and a reset restores it). Five documented personas plus generated customers; salary, rent, bills and
/// subscriptions recur as the standing orders and direct debits say; every account's balance is its opening
/// balance plus its booked transactions, and no account is ever below its arranged limit.
/// </summary>
public sealed class BankGenerator(GeneratorOptions options)
{
    public const string SortCode = "608371";
    public const string DefaultPassword = "sandbox";

    private static readonly (string Name, string Mcc)[] Groceries =
        [("Tesco", "5411"), ("Sainsbury's", "5411"), ("Waitrose", "5411"), ("Aldi", "5411"), ("Lidl", "5411"), ("M&S Food", "5411")];

    private static readonly (string Name, string Mcc, int MinPence, int MaxPence)[] Everyday =
    [
        ("Pret A Manger", "5814", 250, 900), ("Costa Coffee", "5814", 250, 700), ("TfL Travel", "4111", 170, 900),
        ("Trainline", "4112", 1200, 9500), ("Uber", "4121", 700, 3200), ("Wagamama", "5812", 1400, 5500),
        ("Nando's", "5812", 1200, 4800), ("Amazon", "5999", 600, 8900), ("Boots", "5912", 300, 4200),
        ("Shell", "5541", 3000, 8500), ("John Lewis", "5311", 1500, 15000), ("Deliveroo", "5812", 1500, 4500),
    ];

    private static readonly (string Name, int Day, int MinPence, int MaxPence)[] PersonalDirectDebits =
    [
        ("British Gas", 15, 7500, 13500), ("Thames Water", 18, 3200, 3900), ("Council Tax", 1, 14800, 14800),
        ("EE Mobile", 20, 2500, 2500), ("PureGym", 3, 2499, 2499), ("Netflix", 7, 1099, 1099), ("Spotify", 12, 1199, 1199),
    ];

    public GeneratedBank Generate(Tenant tenant)
    {
        var today = tenant.CreatedAt.UtcDateTime.Date;
        var context = new GenerationContext(tenant, today, new Faker("en_GB") { Random = new Randomizer(tenant.Seed) });

        AddAlice(context);
        AddBob(context);
        AddCarol(context);
        AddDave(context);
        AddErin(context);
        for (var i = 0; i < options.GeneratedCustomers; i++)
        {
            AddGeneratedCustomer(context, i);
        }

        return context.Bank;
    }

    private void AddAlice(GenerationContext c)
    {
        var alice = c.AddCustomer("alice", "long-history", "Alice Walker", isBusiness: false);
        var from = c.Today.AddMonths(-36);
        var current = c.AddAccount(alice, "CurrentAccount", "GBP", "Personal current account", "Everyday", from, overdraft: 50000, openingBalance: 120000);
        var savings = c.AddAccount(alice, "Savings", "GBP", "Instant access saver", "Rainy day", from, overdraft: 0, openingBalance: 250000);
        var card = c.AddCreditCard(alice, from, limit: 300000);

        var events = new List<Event>();
        c.Salary(events, current, "Brightwave Technologies Ltd", 320000, from);
        c.Rent(events, current, "Parkside Lettings", 115000, from);
        c.Transfer(events, current, savings, 20000, 26, from, "Monthly saving");
        foreach (var dd in PersonalDirectDebits)
        {
            c.DirectDebitPayments(events, current, dd.Name, dd.Day, dd.MinPence, dd.MaxPence, from);
        }

        c.CardSpending(events, current, from, perDay: 1.4);
        c.Interest(events, savings, from, annualRatePercent: 3.1m);
        c.CardSpending(events, card, from, perDay: 0.5);
        c.CardRepayments(events, current, card, from);
        c.Post(events);
        c.Beneficiary(current, "Parkside Lettings", "RENT-ALW-1");
        c.Beneficiary(current, "Tom Walker", "Birthday");
        c.OwnBeneficiary(current, savings);
        c.ScheduledPayment(current, "Sunny Holidays Ltd", "HOLIDAY-DEPOSIT", 45000, 12);
        c.Offer(card, "BalanceTransfer", "0% on balance transfers for 18 months", 150000, "0.00");
        c.Offer(current, "LimitIncrease", "Arranged overdraft up to £1,500", 150000, null);
        c.Offer(savings, "PromotionalRate", "4.1% bonus rate for 12 months", null, "4.10");
    }

    private void AddBob(GenerationContext c)
    {
        var bob = c.AddCustomer("bob", "overdrawn", "Bob Martin", isBusiness: false);
        var from = c.Today.AddMonths(-12);
        var current = c.AddAccount(bob, "CurrentAccount", "GBP", "Personal current account", null, from, overdraft: 100000, openingBalance: 8000);

        var events = new List<Event>();
        c.Salary(events, current, "City Couriers Ltd", 165000, from);
        c.Rent(events, current, "Harbour Homes", 82000, from);
        c.DirectDebitPayments(events, current, "British Gas", 15, 6500, 11000, from);
        c.DirectDebitPayments(events, current, "Vodafone", 20, 3000, 3000, from);
        c.DirectDebitPayments(events, current, "Sky TV", 9, 4500, 4500, from);
        c.CardSpending(events, current, from, perDay: 1.6);
        // The month ends badly: a car repair (amount 0 here, sized in Post) takes the account well into its overdraft —
        // after the last salary, or a payday in the last three days would leave Bob in credit.
        var lastCredit = events.Where(e => e.SignedMinor > 0 && !e.Pending).Select(e => e.When).DefaultIfEmpty(from).Max();
        events.Add(c.CardEvent(current, new[] { c.Today.AddDays(-3).AddHours(11), lastCredit.AddHours(1) }.Max(), 0, ("Kwik Fit", "7538")));
        c.Post(events, forceOverdrawnTo: -42000);
        c.Offer(current, "Other", "Talk to us about managing your overdraft", null, null);
    }

    private void AddCarol(GenerationContext c)
    {
        var carol = c.AddCustomer("carol", "multi-currency", "Carol Dubois", isBusiness: false);
        var from = c.Today.AddMonths(-12);
        var gbp = c.AddAccount(carol, "CurrentAccount", "GBP", "Personal current account", "UK", from, overdraft: 25000, openingBalance: 90000);
        var eur = c.AddAccount(carol, "CurrentAccount", "EUR", "Euro current account", "France", from, overdraft: 0, openingBalance: 150000);
        var usd = c.AddAccount(carol, "CurrentAccount", "USD", "US dollar current account", "US trips", from, overdraft: 0, openingBalance: 80000);

        var events = new List<Event>();
        c.Salary(events, gbp, "Meridian Consulting LLP", 410000, from);
        c.Rent(events, gbp, "Canal Side Estates", 140000, from);
        c.DirectDebitPayments(events, gbp, "Octopus Energy", 14, 6000, 9500, from);
        c.CardSpending(events, gbp, from, perDay: 1.1);
        c.Transfer(events, gbp, eur, 30000, 2, from, "Top up EUR", creditMinor: 35100);
        c.CardSpending(events, eur, from, perDay: 0.4);
        c.CardSpending(events, usd, from, perDay: 0.2);
        c.Post(events);
        c.Beneficiary(eur, "Marie Dubois", "Famille");
    }

    private static void AddDave(GenerationContext c)
    {
        var dave = c.AddCustomer("dave", "new-customer", "Dave Okafor", isBusiness: false);
        c.AddAccount(dave, "CurrentAccount", "GBP", "Personal current account", null, c.Today, overdraft: 0, openingBalance: 0);
    }

    private void AddErin(GenerationContext c)
    {
        var erin = c.AddCustomer("erin", "business", "Hughes Design Studio Ltd", isBusiness: true);
        var from = c.Today.AddMonths(-24);
        var current = c.AddAccount(erin, "CurrentAccount", "GBP", "Business current account", "Operating", from, overdraft: 500000, openingBalance: 1500000, business: true);

        var events = new List<Event>();
        for (var day = from; day < c.Today; day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Tuesday or DayOfWeek.Thursday && c.Faker.Random.Double() < 0.6)
            {
                var client = c.Faker.Company.CompanyName();
                events.Add(c.TransferIn(current, day.AddHours(10), c.Faker.Random.Long(120000, 950000), client, "INV-" + c.Faker.Random.Number(10000, 99999)));
            }
        }

        c.Rent(events, current, "Shoreditch Workspace Ltd", 240000, from);
        c.StandingOrderPayments(events, current, "Payroll - J Patel", "SALARY", 280000, 28, from);
        c.StandingOrderPayments(events, current, "Payroll - S Chen", "SALARY", 260000, 28, from);
        c.DirectDebitPayments(events, current, "HMRC VAT", 7, 180000, 420000, from, quarterly: true);
        c.DirectDebitPayments(events, current, "Adobe Systems", 4, 6199, 6199, from);
        c.DirectDebitPayments(events, current, "BT Business", 22, 5400, 5400, from);
        c.CardSpending(events, current, from, perDay: 0.7);
        c.Post(events);
        c.ScheduledPayment(current, "Studio Furniture Co", "PO-88213", 385000, 5);
        c.Offer(current, "LimitIncrease", "Business overdraft up to £10,000", 1000000, null);
    }

    private void AddGeneratedCustomer(GenerationContext c, int index)
    {
        var name = c.Faker.Name.FullName();
        var username = $"customer{index + 1:D2}";
        var customer = c.AddCustomer(username, "generated", name, isBusiness: false);
        var from = c.Today.AddMonths(-options.GeneratedHistoryMonths);
        // Income covers the configured spending (load tests raise the rate), so few card payments are declined.
        var salary = Math.Max(c.Faker.Random.Long(180000, 520000), (long)(options.GeneratedCardPaymentsPerDay * 30 * 4000 * 1.3));
        var current = c.AddAccount(customer, "CurrentAccount", "GBP", "Personal current account", null, from,
            overdraft: c.Faker.PickRandom(0L, 25000L, 100000L), openingBalance: c.Faker.Random.Long(20000, 300000));

        var events = new List<Event>();
        c.Salary(events, current, c.Faker.Company.CompanyName(), salary, from);
        c.Rent(events, current, c.Faker.Company.CompanyName() + " Lettings", salary * 35 / 100, from);
        foreach (var dd in c.Faker.PickRandom(PersonalDirectDebits, 3))
        {
            c.DirectDebitPayments(events, current, dd.Name, dd.Day, dd.MinPence, dd.MaxPence, from);
        }

        c.CardSpending(events, current, from, perDay: options.GeneratedCardPaymentsPerDay);
        c.Post(events);
    }

    /// <summary>One thing that happens to an account; a debit that would breach the account's limit is declined.</summary>
    internal sealed record Event(
        Account Account, DateTime When, long SignedMinor, string Information, string BankCode, string BankSubCode,
        string ProprietaryCode, string? MerchantName = null, string? Mcc = null, string? CounterpartyName = null,
        string? CounterpartySchemeName = null, string? CounterpartyIdentification = null,
        bool Pending = false, Action<DateTime, long>? OnPosted = null, Account? CreditTo = null, long? CreditMinor = null);

    /// <summary>The state of one tenant's generation: the faker, the id source, what has been made so far.</summary>
    internal sealed class GenerationContext(Tenant tenant, DateTime today, Faker faker)
    {
        private readonly SandboxIds _ids = new(tenant.OrganisationId);
        private readonly string _passwordHash = HashPassword(DefaultPassword, tenant.Seed);

        public GeneratedBank Bank { get; } = new();
        public DateTime Today { get; } = today;
        public Faker Faker { get; } = faker;

        public Customer AddCustomer(string username, string persona, string name, bool isBusiness)
        {
            var customer = new Customer
            {
                Id = _ids.Next("cus"),
                TenantId = tenant.Id,
                Username = username,
                Persona = persona,
                Name = name,
                Email = $"{username}@sandbox-customers.example",
                Phone = "+447700" + Faker.Random.Number(900000, 900999).ToString(System.Globalization.CultureInfo.InvariantCulture),
                AddressLine = Faker.Address.StreetAddress(),
                TownName = Faker.Address.City(),
                PostCode = Faker.Address.ZipCode(),
                IsBusiness = isBusiness,
                PasswordHash = _passwordHash,
            };
            // Formerly the TOTP secret (now derived from a server key, TotpSecrets): still drawn, so the rest of every
            // tenant's generated bank stays exactly as it was.
            _ = Faker.Random.Bytes(20);
            Bank.Customers.Add(customer);
            return customer;
        }

        public Account AddAccount(Customer owner, string subType, string currency, string description, string? nickname,
            DateTime opened, long overdraft, long openingBalance, bool business = false)
        {
            var accountNumber = Faker.Random.Number(10000000, 99999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var account = new Account
            {
                Id = _ids.Next("acc"),
                TenantId = tenant.Id,
                CustomerId = owner.Id,
                AccountType = business ? "Business" : "Personal",
                AccountSubType = subType,
                Currency = currency,
                Description = description,
                Nickname = nickname,
                Name = owner.Name,
                SchemeName = currency == "GBP" ? "UK.OBIE.SortCodeAccountNumber" : "UK.OBIE.IBAN",
                Identification = currency == "GBP" ? SortCode + accountNumber : Iban(accountNumber),
                ProductName = description,
                OpeningDate = opened,
                CreditLimitMinor = overdraft,
                OpeningBalanceMinor = openingBalance,
                BookedBalanceMinor = openingBalance,
            };
            Bank.Accounts.Add(account);
            return account;
        }

        public Account AddCreditCard(Customer owner, DateTime opened, long limit)
        {
            var account = AddAccount(owner, "CreditCard", "GBP", "Sandbox Bank Mastercard", "Credit card", opened, limit, 0);
            account.SchemeName = "UK.OBIE.PAN";
            account.Identification = "5412" + Faker.Random.Number(10000000, 99999999).ToString(System.Globalization.CultureInfo.InvariantCulture)
                + Faker.Random.Number(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return account;
        }

        public void Salary(List<Event> events, Account account, string employer, long monthly, DateTime from)
        {
            foreach (var day in MonthlyDays(25, from))
            {
                var payday = day.DayOfWeek switch { DayOfWeek.Saturday => day.AddDays(-1), DayOfWeek.Sunday => day.AddDays(-2), _ => day };
                events.Add(new Event(account, payday.AddHours(6), monthly, $"{employer} SALARY", "ReceivedCreditTransfers",
                    "DomesticCreditTransfer", "BGC", CounterpartyName: employer));
            }
        }

        public void Rent(List<Event> events, Account account, string landlord, long monthly, DateTime from)
            => StandingOrderPayments(events, account, landlord, "RENT", monthly, 1, from);

        public void StandingOrderPayments(List<Event> events, Account account, string payee, string reference, long amount, int dayOfMonth, DateTime from)
        {
            var identification = SortCode[..2] + Faker.Random.Number(1000, 9999) + Faker.Random.Number(10000000, 99999999);
            var order = new StandingOrder
            {
                Id = _ids.Next("sto"),
                TenantId = tenant.Id,
                AccountId = account.Id,
                Frequency = $"IntrvlMnthDay:01:{dayOfMonth:D2}",
                Reference = reference,
                FirstPaymentDateTime = MonthlyDays(dayOfMonth, from).FirstOrDefault(Today).AddHours(7),
                NextPaymentDateTime = NextMonthly(dayOfMonth).AddHours(7),
                AmountMinor = amount,
                Currency = account.Currency,
                CreditorName = payee,
                CreditorSchemeName = "UK.OBIE.SortCodeAccountNumber",
                CreditorIdentification = identification,
            };
            Bank.StandingOrders.Add(order);
            foreach (var day in MonthlyDays(dayOfMonth, from))
            {
                events.Add(new Event(account, day.AddHours(7), -amount, $"{payee} {reference}", "IssuedCreditTransfers", "StandingOrder", "SO",
                    CounterpartyName: payee, CounterpartySchemeName: order.CreditorSchemeName, CounterpartyIdentification: identification));
            }
        }

        public void Transfer(List<Event> events, Account from, Account to, long amount, int dayOfMonth, DateTime start, string reference, long? creditMinor = null)
        {
            Bank.StandingOrders.Add(new StandingOrder
            {
                Id = _ids.Next("sto"),
                TenantId = tenant.Id,
                AccountId = from.Id,
                Frequency = $"IntrvlMnthDay:01:{dayOfMonth:D2}",
                Reference = reference,
                FirstPaymentDateTime = MonthlyDays(dayOfMonth, start).FirstOrDefault(Today).AddHours(8),
                NextPaymentDateTime = NextMonthly(dayOfMonth).AddHours(8),
                AmountMinor = amount,
                Currency = from.Currency,
                CreditorName = to.Name,
                CreditorSchemeName = to.SchemeName,
                CreditorIdentification = to.Identification,
            });
            foreach (var day in MonthlyDays(dayOfMonth, start))
            {
                events.Add(new Event(from, day.AddHours(8), -amount, reference, "IssuedCreditTransfers", "StandingOrder", "SO",
                    CounterpartyName: to.Name, CounterpartySchemeName: to.SchemeName, CounterpartyIdentification: to.Identification,
                    CreditTo: to, CreditMinor: creditMinor ?? amount));
            }
        }

        public void DirectDebitPayments(List<Event> events, Account account, string payee, int dayOfMonth, int minPence, int maxPence, DateTime from, bool quarterly = false)
        {
            var mandate = $"{payee.ToUpperInvariant().Replace(" ", string.Empty, StringComparison.Ordinal)[..Math.Min(8, payee.Replace(" ", string.Empty, StringComparison.Ordinal).Length)]}{Faker.Random.Number(100000, 999999)}";
            var debit = new DirectDebit
            {
                Id = _ids.Next("ddi"),
                TenantId = tenant.Id,
                AccountId = account.Id,
                MandateIdentification = mandate,
                Name = payee,
                Currency = account.Currency,
                Frequency = quarterly ? "Quarterly" : "Monthly",
            };
            Bank.DirectDebits.Add(debit);
            var months = MonthlyDays(dayOfMonth, from).ToList();
            for (var i = 0; i < months.Count; i++)
            {
                if (quarterly && months[i].Month % 3 != 1)
                {
                    continue;
                }

                var amount = Faker.Random.Long(minPence, maxPence);
                events.Add(new Event(account, months[i].AddHours(5), -amount, $"{payee} {mandate}", "IssuedDirectDebits", "DirectDebitPayment", "DD",
                    CounterpartyName: payee,
                    OnPosted: (when, paid) => { debit.PreviousPaymentDateTime = when; debit.PreviousPaymentAmountMinor = paid; }));
            }
        }

        public void CardSpending(List<Event> events, Account account, DateTime from, double perDay)
        {
            for (var day = from; day < Today; day = day.AddDays(1))
            {
                if (Faker.Random.Double() < 0.35 * Math.Min(perDay, 1))
                {
                    var grocer = Faker.PickRandom(Groceries);
                    events.Add(CardEvent(account, day.AddHours(Faker.Random.Int(9, 20)).AddMinutes(Faker.Random.Int(0, 59)),
                        Faker.Random.Int(1200, 9500), (grocer.Name, grocer.Mcc)));
                }

                var count = Poisson(perDay);
                for (var i = 0; i < count; i++)
                {
                    var merchant = Faker.PickRandom(Everyday);
                    events.Add(CardEvent(account, day.AddHours(Faker.Random.Int(7, 22)).AddMinutes(Faker.Random.Int(0, 59)),
                        Faker.Random.Int(merchant.MinPence, merchant.MaxPence), (merchant.Name, merchant.Mcc)));
                }
            }

            // Card payments of the last day are still authorisations, not yet booked.
            for (var i = 0; i < Faker.Random.Int(1, 3) && account.OpeningDate < Today; i++)
            {
                var merchant = Faker.PickRandom(Everyday);
                events.Add(CardEvent(account, Today.AddDays(-1).AddHours(18 + i), Faker.Random.Int(merchant.MinPence, merchant.MaxPence),
                    (merchant.Name, merchant.Mcc)) with { Pending = true });
            }
        }

        public Event CardEvent(Account account, DateTime when, int pence, (string Name, string Mcc) merchant)
            => new(account, when, -pence, $"{merchant.Name} {when:dd MMM}".ToUpperInvariant(), "CustomerCardTransactions",
                "PointOfSaleDebit", "DEB", merchant.Name, merchant.Mcc, merchant.Name);

        public Event TransferIn(Account account, DateTime when, long amount, string payer, string reference)
            => new(account, when, amount, $"{payer} {reference}", "ReceivedCreditTransfers", "DomesticCreditTransfer", "FPI",
                CounterpartyName: payer);

        public void Interest(List<Event> events, Account account, DateTime from, decimal annualRatePercent)
        {
            foreach (var day in MonthlyDays(1, from.AddMonths(1)))
            {
                // long.MinValue marks interest, computed in Post from the balance of the day.
                events.Add(new Event(account, day.AddHours(2), long.MinValue, $"INTEREST {annualRatePercent:0.00}%",
                    "MiscellaneousCreditOperations", "Interest", "INT"));
            }
        }

        public void CardRepayments(List<Event> events, Account from, Account card, DateTime start)
        {
            foreach (var day in MonthlyDays(28, start.AddMonths(1)))
            {
                // Amount decided at posting time: the card's whole balance (a marker value, resolved in Post).
                events.Add(new Event(from, day.AddHours(9), long.MaxValue, "SANDBOX BANK MASTERCARD", "IssuedCreditTransfers",
                    "DomesticCreditTransfer", "FPO", CounterpartyName: "Sandbox Bank Mastercard",
                    CounterpartySchemeName: card.SchemeName, CounterpartyIdentification: card.Identification, CreditTo: card));
            }
        }

        public void Beneficiary(Account account, string name, string reference) => Bank.Beneficiaries.Add(new Beneficiary
        {
            Id = _ids.Next("ben"),
            TenantId = tenant.Id,
            AccountId = account.Id,
            Reference = reference,
            Name = name,
            SchemeName = "UK.OBIE.SortCodeAccountNumber",
            Identification = "20" + Faker.Random.Number(1000, 9999) + Faker.Random.Number(10000000, 99999999),
        });

        public void OwnBeneficiary(Account account, Account own) => Bank.Beneficiaries.Add(new Beneficiary
        {
            Id = _ids.Next("ben"),
            TenantId = tenant.Id,
            AccountId = account.Id,
            Reference = "Savings",
            Name = own.Name,
            SchemeName = own.SchemeName,
            Identification = own.Identification,
        });

        public void ScheduledPayment(Account account, string payee, string reference, long amount, int inDays) => Bank.ScheduledPayments.Add(new ScheduledPayment
        {
            Id = _ids.Next("sch"),
            TenantId = tenant.Id,
            AccountId = account.Id,
            Reference = reference,
            ExecutionDateTime = Today.AddDays(inDays).AddHours(9),
            AmountMinor = amount,
            Currency = account.Currency,
            CreditorName = payee,
            CreditorSchemeName = "UK.OBIE.SortCodeAccountNumber",
            CreditorIdentification = "40" + Faker.Random.Number(1000, 9999) + Faker.Random.Number(10000000, 99999999),
        });

        public void Offer(Account account, string type, string description, long? amount, string? rate) => Bank.Offers.Add(new Offer
        {
            Id = _ids.Next("ofr"),
            TenantId = tenant.Id,
            AccountId = account.Id,
            OfferType = type,
            Description = description,
            AmountMinor = amount,
            Rate = rate,
            StartDateTime = Today.AddDays(-10),
            EndDateTime = Today.AddMonths(3),
        });

        /// <summary>
        /// Books the events in time order: running balances, statements, and the accounts' final balances. A debit
        /// marked optional that would take an account past its limit is dropped, as the bank would decline it.
        /// </summary>
        public void Post(List<Event> events, long? forceOverdrawnTo = null)
        {
            var balances = new Dictionary<Account, long>();
            var booked = new List<BankTransaction>();
            long BalanceOf(Account account) => balances.TryGetValue(account, out var b) ? b : account.OpeningBalanceMinor;

            foreach (var e in events.Where(e => !e.Pending).OrderBy(e => e.When).ThenBy(e => e.Account.Id, StringComparer.Ordinal))
            {
                var balance = BalanceOf(e.Account);
                var amount = e.SignedMinor switch
                {
                    long.MinValue => InterestFor(balance, e.Information),
                    long.MaxValue => -Math.Max(0, Math.Min(-BalanceOf(e.CreditTo!), balance + e.Account.CreditLimitMinor)),
                    0 when forceOverdrawnTo is { } target => Math.Min(-1, target - balance),
                    _ => e.SignedMinor,
                };

                // The bank declines any debit that would take the account past its arranged limit.
                if (amount == 0 || (amount < 0 && balance + amount < -e.Account.CreditLimitMinor))
                {
                    continue;
                }

                balance += amount;
                balances[e.Account] = balance;
                booked.Add(Book(e, amount, balance));
                if (e.CreditTo is { } payee)
                {
                    // The other leg of a transfer between the customer's own accounts.
                    var credit = e.CreditMinor ?? -amount;
                    var payeeBalance = BalanceOf(payee) + credit;
                    balances[payee] = payeeBalance;
                    booked.Add(Book(new Event(payee, e.When.AddMinutes(1), credit, $"FROM {e.Account.Name} {e.Information}".ToUpperInvariant(),
                        "ReceivedCreditTransfers", "DomesticCreditTransfer", "FPI", CounterpartyName: e.Account.Name,
                        CounterpartySchemeName: e.Account.SchemeName, CounterpartyIdentification: e.Account.Identification), credit, payeeBalance));
                }
            }

            foreach (var e in events.Where(e => e.Pending))
            {
                Book(e, e.SignedMinor, null);
            }

            foreach (var (account, balance) in balances)
            {
                account.BookedBalanceMinor = balance;
            }

            AddStatements(booked.GroupBy(t => t.AccountId), events.Select(e => e.Account).Concat(balances.Keys).Distinct());
        }

        private long InterestFor(long balance, string information)
        {
            var rate = decimal.Parse(information.Split(' ')[1].TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture);
            return balance <= 0 ? 0 : (long)Math.Round(balance * rate / 100m / 12m, MidpointRounding.ToEven);
        }

        private BankTransaction Book(Event e, long signedAmount, long? balanceAfter)
        {
            var transaction = new BankTransaction
            {
                TenantId = tenant.Id,
                AccountId = e.Account.Id,
                TransactionId = _ids.Next("txn"),
                Reference = e.ProprietaryCode is "SO" or "DD" or "BGC" or "FPI" or "FPO" ? e.Information[..Math.Min(35, e.Information.Length)] : null,
                IsCredit = signedAmount > 0,
                Status = balanceAfter is null ? TransactionStatus.Pending : TransactionStatus.Booked,
                BookingDateTime = e.When,
                ValueDateTime = e.When,
                AmountMinor = Math.Abs(signedAmount),
                Currency = e.Account.Currency,
                Information = e.Information,
                MerchantName = e.MerchantName,
                MerchantCategoryCode = e.Mcc,
                BankCode = e.BankCode,
                BankSubCode = e.BankSubCode,
                ProprietaryCode = e.ProprietaryCode,
                CounterpartyName = e.CounterpartyName,
                CounterpartySchemeName = e.CounterpartySchemeName,
                CounterpartyIdentification = e.CounterpartyIdentification,
                BalanceAfterMinor = balanceAfter,
                CardPan = e.ProprietaryCode == "DEB" ? "5412" + "********" + Faker.Random.Number(1000, 9999) : null,
            };
            Bank.Transactions.Add(transaction);
            e.Account.TransactionCount++;
            if (transaction.IsCredit)
            {
                e.Account.CreditTransactionCount++;
            }

            e.OnPosted?.Invoke(e.When, Math.Abs(signedAmount));
            return transaction;
        }

        private void AddStatements(IEnumerable<IGrouping<string, BankTransaction>> bookedByAccount, IEnumerable<Account> accounts)
        {
            var byAccount = bookedByAccount.ToDictionary(g => g.Key, g => g.OrderBy(t => t.BookingDateTime).ToList());
            foreach (var account in accounts)
            {
                var booked = byAccount.TryGetValue(account.Id, out var list) ? list : [];
                var balance = account.OpeningBalanceMinor;
                var start = new DateTime(account.OpeningDate.Year, account.OpeningDate.Month, 1, 0, 0, 0, DateTimeKind.Utc);
                var index = 0;
                while (start.AddMonths(1) <= Today)
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

                    Bank.Statements.Add(new Statement
                    {
                        Id = _ids.Next("stm"),
                        TenantId = tenant.Id,
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

        private string Iban(string accountNumber)
        {
            var bban = "SBNK" + SortCode + accountNumber;
            var numeric = new StringBuilder();
            foreach (var ch in bban + "GB00")
            {
                numeric.Append(char.IsLetter(ch) ? (ch - 'A' + 10).ToString(System.Globalization.CultureInfo.InvariantCulture) : ch.ToString());
            }

            var check = 98 - (int)(BigInteger.Parse(numeric.ToString(), System.Globalization.CultureInfo.InvariantCulture) % 97);
            return $"GB{check:D2}{bban}";
        }

        private static string HashPassword(string password, int seed)
        {
            var salt = SHA256.HashData(BitConverter.GetBytes(seed));
            var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, 100_000, HashAlgorithmName.SHA256, 32);
            return $"pbkdf2-sha256$100000${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
        }
    }
}
