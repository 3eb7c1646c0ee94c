namespace OpenBanking.Sandbox.Bank;

/// <summary>
/// The five documented test customers (docs: alice long history, bob overdrawn, carol multi-currency, dave new,
/// erin business) and the generated ones. Each persona's calls are in a fixed order: see <see cref="BankGenerator"/>.
/// </summary>
internal static class Personas
{
    private static readonly (string Name, int Day, int MinPence, int MaxPence)[] PersonalDirectDebits =
    [
        ("British Gas", 15, 7500, 13500), ("Thames Water", 18, 3200, 3900), ("Council Tax", 1, 14800, 14800),
        ("EE Mobile", 20, 2500, 2500), ("PureGym", 3, 2499, 2499), ("Netflix", 7, 1099, 1099), ("Spotify", 12, 1199, 1199),
    ];

    public static void AddAlice(GenerationContext c)
    {
        var alice = c.AddCustomer("alice", "long-history", "Alice Walker", isBusiness: false);
        var from = c.Today.AddMonths(-36);
        var current = c.AddAccount(alice, "CurrentAccount", "GBP", "Personal current account", "Everyday", from, overdraft: 50000, openingBalance: 120000);
        var savings = c.AddAccount(alice, "Savings", "GBP", "Instant access saver", "Rainy day", from, overdraft: 0, openingBalance: 250000);
        var card = c.AddCreditCard(alice, from, limit: 300000);

        var schedule = new EventSchedule(c);
        schedule.Salary(current, "Brightwave Technologies Ltd", 320000, from);
        schedule.Rent(current, "Parkside Lettings", 115000, from);
        schedule.Transfer(current, savings, 20000, 26, from, "Monthly saving");
        foreach (var dd in PersonalDirectDebits)
        {
            schedule.DirectDebitPayments(current, dd.Name, dd.Day, dd.MinPence, dd.MaxPence, from);
        }

        schedule.CardSpending(current, from, perDay: 1.4);
        schedule.Interest(savings, from, annualRatePercent: 3.1m);
        schedule.CardSpending(card, from, perDay: 0.5);
        schedule.CardRepayments(current, card, from);
        Booking.Post(c, schedule);
        c.Beneficiary(current, "Parkside Lettings", "RENT-ALW-1");
        c.Beneficiary(current, "Tom Walker", "Birthday");
        c.OwnBeneficiary(current, savings);
        c.ScheduledPayment(current, "Sunny Holidays Ltd", "HOLIDAY-DEPOSIT", 45000, 12);
        c.Offer(card, "BalanceTransfer", "0% on balance transfers for 18 months", 150000, "0.00");
        c.Offer(current, "LimitIncrease", "Arranged overdraft up to £1,500", 150000, null);
        c.Offer(savings, "PromotionalRate", "4.1% bonus rate for 12 months", null, "4.10");
    }

    public static void AddBob(GenerationContext c)
    {
        var bob = c.AddCustomer("bob", "overdrawn", "Bob Martin", isBusiness: false);
        var from = c.Today.AddMonths(-12);
        var current = c.AddAccount(bob, "CurrentAccount", "GBP", "Personal current account", null, from, overdraft: 100000, openingBalance: 8000);

        var schedule = new EventSchedule(c);
        schedule.Salary(current, "City Couriers Ltd", 165000, from);
        schedule.Rent(current, "Harbour Homes", 82000, from);
        schedule.DirectDebitPayments(current, "British Gas", 15, 6500, 11000, from);
        schedule.DirectDebitPayments(current, "Vodafone", 20, 3000, 3000, from);
        schedule.DirectDebitPayments(current, "Sky TV", 9, 4500, 4500, from);
        schedule.CardSpending(current, from, perDay: 1.6);
        // The month ends badly: a car repair takes the account well into its overdraft — after the last salary, or a
        // payday in the last three days would leave Bob in credit.
        var repairDay = new[] { c.Today.AddDays(-3).AddHours(11), schedule.LastCredit(otherwise: from).AddHours(1) }.Max();
        schedule.CardPayment(current, repairDay, new PlannedAmount.OverdrawTo(-42000), new Merchant("Kwik Fit", "7538"));
        Booking.Post(c, schedule);
        c.Offer(current, "Other", "Talk to us about managing your overdraft", null, null);
    }

    public static void AddCarol(GenerationContext c)
    {
        var carol = c.AddCustomer("carol", "multi-currency", "Carol Dubois", isBusiness: false);
        var from = c.Today.AddMonths(-12);
        var gbp = c.AddAccount(carol, "CurrentAccount", "GBP", "Personal current account", "UK", from, overdraft: 25000, openingBalance: 90000);
        var eur = c.AddAccount(carol, "CurrentAccount", "EUR", "Euro current account", "France", from, overdraft: 0, openingBalance: 150000);
        var usd = c.AddAccount(carol, "CurrentAccount", "USD", "US dollar current account", "US trips", from, overdraft: 0, openingBalance: 80000);

        var schedule = new EventSchedule(c);
        schedule.Salary(gbp, "Meridian Consulting LLP", 410000, from);
        schedule.Rent(gbp, "Canal Side Estates", 140000, from);
        schedule.DirectDebitPayments(gbp, "Octopus Energy", 14, 6000, 9500, from);
        schedule.CardSpending(gbp, from, perDay: 1.1);
        schedule.Transfer(gbp, eur, 30000, 2, from, "Top up EUR", creditMinor: 35100);
        schedule.CardSpending(eur, from, perDay: 0.4);
        schedule.CardSpending(usd, from, perDay: 0.2);
        Booking.Post(c, schedule);
        c.Beneficiary(eur, "Marie Dubois", "Famille");
    }

    public static void AddDave(GenerationContext c)
    {
        var dave = c.AddCustomer("dave", "new-customer", "Dave Okafor", isBusiness: false);
        c.AddAccount(dave, "CurrentAccount", "GBP", "Personal current account", null, c.Today, overdraft: 0, openingBalance: 0);
    }

    public static void AddErin(GenerationContext c)
    {
        var erin = c.AddCustomer("erin", "business", "Hughes Design Studio Ltd", isBusiness: true);
        var from = c.Today.AddMonths(-24);
        var current = c.AddAccount(erin, "CurrentAccount", "GBP", "Business current account", "Operating", from, overdraft: 500000, openingBalance: 1500000, business: true);

        var schedule = new EventSchedule(c);
        for (var day = from; day < c.Today; day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Tuesday or DayOfWeek.Thursday && c.Faker.Random.Double() < 0.6)
            {
                var client = c.Faker.Company.CompanyName();
                var amount = c.Faker.Random.Long(120000, 950000);
                schedule.TransferIn(current, day.AddHours(10), amount, client, "INV-" + c.Faker.Random.Number(10000, 99999));
            }
        }

        schedule.Rent(current, "Shoreditch Workspace Ltd", 240000, from);
        schedule.StandingOrderPayments(current, "Payroll - J Patel", "SALARY", 280000, 28, from);
        schedule.StandingOrderPayments(current, "Payroll - S Chen", "SALARY", 260000, 28, from);
        schedule.DirectDebitPayments(current, "HMRC VAT", 7, 180000, 420000, from, quarterly: true);
        schedule.DirectDebitPayments(current, "Adobe Systems", 4, 6199, 6199, from);
        schedule.DirectDebitPayments(current, "BT Business", 22, 5400, 5400, from);
        schedule.CardSpending(current, from, perDay: 0.7);
        Booking.Post(c, schedule);
        c.ScheduledPayment(current, "Studio Furniture Co", "PO-88213", 385000, 5);
        c.Offer(current, "LimitIncrease", "Business overdraft up to £10,000", 1000000, null);
    }

    public static void AddGeneratedCustomer(GenerationContext c, int index, GeneratorOptions options)
    {
        var name = c.Faker.Name.FullName();
        var username = $"customer{index + 1:D2}";
        var customer = c.AddCustomer(username, "generated", name, isBusiness: false);
        var from = c.Today.AddMonths(-options.GeneratedHistoryMonths);
        // Income covers the configured spending (load tests raise the rate), so few card payments are declined.
        var salary = Math.Max(c.Faker.Random.Long(180000, 520000), (long)(options.GeneratedCardPaymentsPerDay * 30 * 4000 * 1.3));
        var current = c.AddAccount(customer, "CurrentAccount", "GBP", "Personal current account", null, from,
            overdraft: c.Faker.PickRandom(0L, 25000L, 100000L), openingBalance: c.Faker.Random.Long(20000, 300000));

        var schedule = new EventSchedule(c);
        schedule.Salary(current, c.Faker.Company.CompanyName(), salary, from);
        schedule.Rent(current, c.Faker.Company.CompanyName() + " Lettings", salary * 35 / 100, from);
        foreach (var dd in c.Faker.PickRandom(PersonalDirectDebits, 3))
        {
            schedule.DirectDebitPayments(current, dd.Name, dd.Day, dd.MinPence, dd.MaxPence, from);
        }

        schedule.CardSpending(current, from, perDay: options.GeneratedCardPaymentsPerDay);
        Booking.Post(c, schedule);
    }
}
