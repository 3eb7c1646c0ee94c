using Bogus;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Payments;

namespace OpenBanking.Sandbox.Fraud.Training;

/// <summary>One simulated payment: its features (extracted by <see cref="FraudFeatures"/>), the ground truth and the rules' score.</summary>
public sealed record FraudSample(float[] Features, bool IsFraud, int RuleScore, string Scenario, int Customer);

/// <summary>
/// Labelled payments for training and evaluating the fraud model (docs/fraud.md). Each customer's six months of
/// history comes from the Sandbox's own bank generator (salary, rent, bills, card spending); then a month of open
/// banking payments is simulated on top — to known and new payees, at the customer's usual hours and amounts, with
/// the odd large purchase, late-night payment and quick run of payments a genuine customer makes — and a few
/// customers suffer a fraud episode: account takeover, an authorised push-payment scam, mule activity or card
/// testing. Every payment's features come from the same <see cref="FraudFeatures.Extract(FraudPayment, FraudHistory)"/>
/// live scoring uses, with the rules scoring it as they would live. All draws come from one seeded generator.
/// </summary>
public sealed class FraudDataGenerator(int seed)
{
    /// <summary>Chance that a customer suffers one fraud episode in the simulated month (about 0.3 % of payments are fraud).</summary>
    public double EpisodeRate { get; init; } = 0.02;

    public int Days { get; init; } = 30;

    private static readonly (string Country, string Currency)[] Abroad = [("FR", "EUR"), ("DE", "EUR"), ("ES", "EUR"), ("IE", "EUR"), ("US", "USD"), ("JP", "JPY"), ("BH", "BHD"), ("CH", "CHF"), ("PL", "PLN")];

    private static readonly string[] EverydayContexts = ["PartyToParty", "TransferToThirdParty", "BillPayment", "EcommerceGoods", "EcommerceServices", "TransferToSelf"];

    public List<FraudSample> Generate(int customers)
    {
        var faker = new Faker("en_GB") { Random = new Randomizer(seed) };
        var today = new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc);
        var tenant = new Tenant { Id = new Guid(seed, 0, 0, new byte[8]), OrganisationId = $"fraud-training-{seed}", Seed = seed, CreatedAt = today };
        var samples = new List<FraudSample>(customers * 30);
        var context = new GenerationContext(tenant, today, faker);
        for (var i = 0; i < customers; i++)
        {
            // Each customer's card-spending habit its own; only its own history is kept while it is simulated.
            // Most customers have months of history; some are new to the bank (a few days or none at all).
            var months = faker.Random.Double() switch { < 0.05 => 0, < 0.15 => 1, _ => 6 };
            var options = new GeneratorOptions { GeneratedHistoryMonths = months, GeneratedCardPaymentsPerDay = faker.Random.Double(0.2, 2.5) };
            context.Bank.Transactions.Clear();
            Personas.AddGeneratedCustomer(context, i, options);
            var account = context.Bank.Accounts[^1];
            new CustomerSimulation(faker.Random, account, context.Bank.Transactions, today, i, samples).Run(Days, EpisodeRate);
        }

        return samples;
    }

    /// <summary>One customer's month: the state live scoring would see (the cached profile), and the payments made.</summary>
    private sealed class CustomerSimulation
    {
        private readonly Randomizer _random;
        private readonly DateTime _start;
        private readonly int _customer;
        private readonly List<FraudSample> _samples;
        private readonly int _count;
        private readonly double _mean;
        private readonly double _stdDev;
        private readonly int[] _byHour = new int[24];
        private readonly Dictionary<string, DateTime> _payees = new(StringComparer.Ordinal);
        private readonly Dictionary<string, DateTime> _inBankPayees = new(StringComparer.Ordinal);
        private readonly List<string> _regularPayees = [];
        private readonly List<(DateTime At, string Payee)> _recent = [];
        private readonly List<(DateTime At, long Amount)> _credits = [];
        private readonly long _incomePerDay;
        private long _available;
        private int _next;

        public CustomerSimulation(Randomizer random, Account account, List<BankTransaction> history, DateTime start, int customer, List<FraudSample> samples)
        {
            _random = random;
            _start = start;
            _customer = customer;
            _samples = samples;
            var debits = history.Where(t => t.AccountId == account.Id && !t.IsCredit && t.Status == TransactionStatus.Booked).ToList();
            _count = debits.Count;
            _mean = _count == 0 ? 0 : debits.Average(t => (double)t.AmountMinor);
            _stdDev = _count == 0 ? 0 : Math.Sqrt(Math.Max(0, debits.Average(t => (double)t.AmountMinor * t.AmountMinor) - (_mean * _mean)));
            foreach (var debit in debits)
            {
                _byHour[debit.BookingDateTime.Hour]++;
            }

            foreach (var t in history.Where(t => t.AccountId == account.Id && t.CounterpartyIdentification is not null))
            {
                See(t.CounterpartyIdentification!, t.BookingDateTime);
            }

            _regularPayees.AddRange(_payees.Keys.Take(3));

            // Friends and family the customer pays now and then (beneficiaries since long ago).
            for (var i = 0; i < random.Int(1, 5); i++)
            {
                var payee = NewPayeeId();
                _payees[payee] = DateTime.MinValue;
                _regularPayees.Add(payee);
            }

            _available = account.BookedBalanceMinor + account.CreditLimitMinor;
            if (random.Double() < 0.2)
            {
                // Savers and businesses: far more in the account than they usually spend.
                _available = (long)(Math.Max(_available, 10_000) * Math.Exp(random.Double(1, 6)));
            }
            _incomePerDay = history.Where(t => t.AccountId == account.Id && t.IsCredit).Sum(t => t.AmountMinor) / 180;
        }

        public void Run(int days, double episodeRate)
        {
            var events = new List<(DateTime At, Action<DateTime> Act)>();
            var perDay = _random.Double(0.2, 1.6);
            for (var day = 0; day < days; day++)
            {
                for (var i = 0; i < Poisson(perDay); i++)
                {
                    events.Add((UsualTime(day), Genuine));
                }

                // Friends paying the customer back: inbound payments are not only a mule's.
                if (_random.Double() < 0.15)
                {
                    for (var i = 0; i < _random.Int(1, 4); i++)
                    {
                        events.Add((UsualTime(day), at => Credit(at, _random.Long(500, 8_000))));
                    }
                }
            }

            if (_random.Double() < episodeRate)
            {
                var at = _start.AddDays(_random.Int(3, days - 1));
                events.Add((at.AddHours(_random.Int(0, 23)), _random.Int(0, 3) switch
                {
                    0 => AccountTakeover,
                    1 => AppScam,
                    2 => Mule,
                    _ => CardTesting,
                }));
            }

            foreach (var (at, act) in events.OrderBy(e => e.At))
            {
                act(at);
            }
        }

        private void Genuine(DateTime at)
        {
            var roll = _random.Double();
            var newPayee = roll < 0.2;
            var payee = newPayee ? NewPayeeId() : _random.ListItem(_regularPayees);
            var usual = Math.Max(_mean, 1500);
            var amount = _random.Double() < 0.2
                ? (long)Math.Exp(_random.Double(Math.Log(100), Math.Log(2_000)))
                : (long)(usual * Math.Exp(_random.Double(-1.2, 1.2)));
            if (roll < 0.03)
            {
                // The holiday, the car deposit: a large payment to someone new, made in daylight.
                amount = (long)(usual * _random.Double(4, 20));
            }

            if (_random.Double() < 0.2)
            {
                amount = Math.Max(1, amount / 1000) * 1000;
            }

            if (_random.Double() < 0.015)
            {
                at = at.Date.AddHours(_random.Int(0, 5)).AddMinutes(_random.Int(0, 59));
            }

            var consent = _random.Double() < 0.06 ? at.AddDays(-_random.Double(1, 90)) : at.AddMinutes(-_random.Double(0.3, 15));
            var context = _random.ArrayElement(EverydayContexts);
            if (newPayee && _random.Double() < 0.1)
            {
                // "Send £1 first to check it arrives", then the real amount.
                Pay(at, payee, 100, consent, context, fraud: false, "genuine");
                at = at.AddMinutes(_random.Double(1, 30));
                consent = at.AddMinutes(-_random.Double(0.3, 5));
            }

            if (_random.Double() < 0.05)
            {
                // Family abroad, a holiday let, a foreign supplier: an IBAN abroad, often in its own currency.
                var (country, currency) = _random.ArrayElement(Abroad);
                Pay(at, country + _random.Int(10, 99).ToString(System.Globalization.CultureInfo.InvariantCulture) + _random.Long(100_000_000_000, 999_999_999_999),
                    Math.Max(amount, 100), consent, context, fraud: false, "genuine", _random.Bool() ? currency : "GBP");
                return;
            }

            Pay(at, payee, Math.Max(amount, 100), consent, context, fraud: false, "genuine");

            var run = _random.Double();
            if (run < 0.02)
            {
                // Splitting a bill: a quick run of payments to friends.
                for (var i = 0; i < _random.Int(2, 5); i++)
                {
                    at = at.AddMinutes(_random.Int(1, 6));
                    Pay(at, _random.ListItem(_regularPayees), _random.Long(500, 4_000), at.AddMinutes(-1), "PartyToParty", fraud: false, "genuine");
                }
            }
            else if (run < 0.05)
            {
                // Paying the same payee in parts (a trader's instalments, topping up a pot): many payments, one payee.
                for (var i = 0; i < _random.Int(2, 25); i++)
                {
                    at = at.AddMinutes(_random.Double(0.2, 8));
                    Pay(at, payee, Math.Max(100, (long)(usual * Math.Exp(_random.Double(-2, 0.5)))), at.AddMinutes(-_random.Double(0.2, 3)), context, fraud: false, "genuine");
                }
            }
        }

        private void AccountTakeover(DateTime at)
        {
            // The fraudster logs in at night and empties the account into a new payee, in one to three goes.
            if (_random.Double() < 0.7)
            {
                at = at.Date.AddHours(_random.Int(0, 5)).AddMinutes(_random.Int(0, 59));
            }

            var payee = NewPayeeId(fraudster: true);
            for (var i = 0; i < _random.Int(1, 3) && _available > 2_000; i++)
            {
                var amount = (long)(_available * _random.Double(0.5, 0.98)) / 100 * 100;
                Pay(at, payee, amount, at.AddMinutes(-_random.Double(0.5, 5)), _random.ArrayElement(["PartyToParty", "TransferToThirdParty"]), fraud: true, "account-takeover");
                at = at.AddMinutes(_random.Int(2, 20));
            }
        }

        private void AppScam(DateTime at)
        {
            // A customer talked into paying "their bank's safe account" or an investment: round amounts, a consent set up
            // days before, the first payment to a new payee, often repeated as the scammer asks for more.
            at = UsualTime((at - _start).Days);
            var payee = NewPayeeId(fraudster: true);
            var consent = at.AddDays(-_random.Double(1, 60));
            for (var i = 0; i < _random.Int(1, 3); i++)
            {
                var amount = Math.Max(Math.Max(_mean, 2_000) * _random.Double(2, 12), 20_000) / 5_000 * 5_000;
                Pay(at, payee, (long)amount, consent, _random.ArrayElement(["PartyToParty", "TransferToThirdParty", "Other"]), fraud: true, "app-scam");
                at = at.AddHours(_random.Double(0.3, 20));
            }
        }

        private void Mule(DateTime at)
        {
            // Many small payments in, then quickly out to a new payee (often abroad).
            var total = 0L;
            for (var i = 0; i < _random.Int(6, 20); i++)
            {
                var amount = _random.Long(5_000, 40_000);
                total += amount;
                Credit(at, amount);
                at = at.AddMinutes(_random.Int(5, 60));
            }

            var payee = _random.Double() < 0.3 ? "DE89370400440532" + _random.Int(100000, 999999) : NewPayeeId(fraudster: true);
            for (var i = 0; i < _random.Int(1, 2); i++)
            {
                at = at.AddMinutes(_random.Int(5, 90));
                Pay(at, payee, (long)(total * _random.Double(0.4, 0.95)), at.AddMinutes(-_random.Double(0.5, 10)), "TransferToThirdParty", fraud: true, "mule");
            }
        }

        private void CardTesting(DateTime at)
        {
            // Stolen credentials checked with a burst of tiny payments to different payees.
            for (var i = 0; i < _random.Int(4, 14); i++)
            {
                Pay(at, NewPayeeId(), _random.Long(1, 150), at.AddMinutes(-_random.Double(0.2, 3)), _random.ArrayElement(["EcommerceGoods", "EcommerceServices", "Other"]),
                    fraud: true, "card-testing");
                at = at.AddMinutes(_random.Double(0.3, 4));
            }
        }

        private void Pay(DateTime at, string payee, long amount, DateTime consentCreated, string context, bool fraud, string scenario, string currency = "GBP")
        {
            var dayAgo = at.AddDays(-1);
            var hourAgo = at.AddHours(-1);
            _recent.RemoveAll(p => p.At <= dayAgo);
            _credits.RemoveAll(c => c.At <= dayAgo);
            // Income arrives steadily enough that a month of genuine payments never drains the account.
            var available = _available + (_incomePerDay * (long)(at - _start).TotalDays);
            DateTime? seen = _payees.TryGetValue(payee, out var first) ? first : null;
            var paidLastHour = _recent.Exists(p => p.Payee == payee && p.At > hourAgo);
            var rulesHistory = new RiskHistory(_count, _mean, _stdDev, _recent.Count(p => p.At > at.AddMinutes(-10)), _recent.Count(p => p.At > hourAgo),
                seen is not null || paidLastHour, "GBP");
            var rules = RiskRules.Assess(amount, currency, at.Hour, rulesHistory);
            var history = new FraudHistory(_count, _mean, _stdDev, available, seen, _inBankPayees.TryGetValue(payee, out var opened) ? opened : null, rulesHistory.PaymentsLastHour, _recent.Count,
                _credits.Count, _credits.Sum(c => c.Amount), "GBP");
            // Some kinds (international, VRP) carry no consent time the model can see: for fraud and genuine alike.
            var payment = new FraudPayment(amount, currency, payee, at, at.Hour, _random.Double() < 0.05 ? null : consentCreated, context, rules.Score);
            _samples.Add(new FraudSample(FraudFeatures.Extract(payment, history), fraud, rules.Score, scenario, _customer));

            _recent.Add((at, payee));
            if (rules.Decision == RiskDecision.Accept)
            {
                _available -= amount;
                See(payee, at);
            }
        }

        private void Credit(DateTime at, long amount)
        {
            _credits.Add((at, amount));
            _available += amount;
        }

        private void See(string payee, DateTime at)
        {
            if (!_payees.TryGetValue(payee, out var first) || at < first)
            {
                _payees[payee] = at;
            }
        }

        private DateTime UsualTime(int day)
        {
            var total = _byHour.Sum();
            var hour = _random.Int(8, 21);
            if (total > 0)
            {
                var pick = _random.Int(0, total - 1);
                for (var h = 0; h < 24; h++)
                {
                    pick -= _byHour[h];
                    if (pick < 0)
                    {
                        hour = h;
                        break;
                    }
                }
            }

            return _start.AddDays(day).AddHours(hour).AddMinutes(_random.Int(0, 59));
        }

        /// <summary>
        /// A payee's account number; some are accounts of this bank (their opening date is known): a genuine payee's
        /// usually years old, a fraudster's (a mule's) opened days before.
        /// </summary>
        private string NewPayeeId(bool fraudster = false)
        {
            var payee = "60" + (++_next).ToString("D4", System.Globalization.CultureInfo.InvariantCulture) + _random.Int(10_000_000, 99_999_999);
            if (_random.Double() < (fraudster ? 0.5 : 0.3))
            {
                _inBankPayees[payee] = fraudster ? _start.AddDays(-_random.Double(0, 20)) : _start.AddDays(-_random.Double(30, 3_650));
            }

            return payee;
        }

        private int Poisson(double lambda)
        {
            var l = Math.Exp(-lambda);
            var k = 0;
            var p = 1.0;
            do
            {
                k++;
                p *= _random.Double();
            }
            while (p > l);
            return k - 1;
        }
    }
}
