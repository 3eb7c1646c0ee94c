using System.Security.Cryptography;
using System.Text;
using Bogus;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Customers.Custom;

/// <summary>
/// Makes a custom customer's bank rows from a checked request with the generator's own parts (accounts with real
/// sort codes, numbers and IBANs; salary, rent and card spending from <see cref="EventSchedule"/>; running balances
/// and statements from <see cref="Booking"/>). Deterministic: the same request as of the same moment makes the same
/// rows, ids included (its own id salt, so they never clash with the generated bank's).
/// </summary>
public static class CustomCustomerBuilder
{
    public const string Persona = "custom";

    public sealed record Built(GeneratedBank Bank, Customer Customer, Dictionary<string, string[]> Errors);

    public static Built Build(Tenant tenant, CustomerPlan plan, DateTimeOffset asOf)
    {
        var salt = $"{tenant.OrganisationId}/custom/{plan.Username}/{asOf.UtcTicks}";
        var seed = BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(salt)), 0) & int.MaxValue;
        var today = asOf.UtcDateTime.Date;
        var context = new GenerationContext(tenant, today, new Faker("en_GB") { Random = new Randomizer(seed) }, new SandboxIds(salt));
        var customer = context.AddCustomer(plan.Username, Persona, plan.Name, isBusiness: false);
        if (plan.Password is not null)
        {
            customer.PasswordHash = PasswordHash.Create(plan.Password, SHA256.HashData(Encoding.UTF8.GetBytes(salt + "/password")));
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Accounts.Count; i++)
        {
            var a = plan.Accounts[i];
            var opened = a.Template is { } template ? today.AddMonths(-template.Months)
                : a.Transactions is { Count: > 0 } uploaded ? uploaded.Min(t => t.When).Date
                : today;
            var description = a.SubType == "Savings" ? "Instant access saver" : "Personal current account";
            var account = context.AddAccount(customer, a.SubType, a.Currency, description, a.Nickname, opened, overdraft: 0, openingBalance: a.OpeningMinor);

            var schedule = new EventSchedule(context);
            if (a.Template is { } t)
            {
                if (t.SalaryMinor is { } salary)
                {
                    schedule.Salary(account, context.Faker.Company.CompanyName(), salary, opened);
                }

                if (t.RentMinor is { } rent)
                {
                    schedule.Rent(account, context.Faker.Company.CompanyName() + " Lettings", rent, opened);
                }

                if (t.CardPerDay > 0)
                {
                    schedule.CardSpending(account, opened, t.CardPerDay);
                }
            }

            foreach (var tx in a.Transactions ?? [])
            {
                var merchant = tx.MerchantName is { } name ? new Merchant(name, "5999") : null;
                var code = tx.SignedMinor > 0 ? TransactionCode.FasterPaymentIn : merchant is not null ? TransactionCode.CardPayment : TransactionCode.FasterPaymentOut;
                schedule.Events.Add(new PlannedEvent(account, tx.When, new PlannedAmount.Fixed(tx.SignedMinor), tx.Description, code)
                {
                    Merchant = merchant,
                    Counterparty = merchant is not null ? new Counterparty(merchant.Name) : null,
                });
            }

            // Booking declines a debit past the arranged limit; here every planned transaction is booked and the check
            // below names the first moment the balance goes below zero (the account has no overdraft).
            account.CreditLimitMinor = long.MaxValue / 4;
            Booking.Post(context, schedule);
            account.CreditLimitMinor = 0;

            var below = context.Bank.Transactions
                .Where(x => x.AccountId == account.Id && x.Status == TransactionStatus.Booked && x.BalanceAfterMinor < 0)
                .OrderBy(x => x.BookingDateTime).FirstOrDefault();
            if (below is not null)
            {
                var by = Money.Format(-below.BalanceAfterMinor!.Value, a.Currency);
                errors[a.Template is not null ? $"Accounts[{i}].Template" : $"Accounts[{i}].Transactions"] =
                [
                    $"On {CustomCustomerValidator.Rfc3339(below.BookingDateTime)} this history takes the balance to -{by} {a.Currency}, {by} {a.Currency} below zero "
                    + $"(\"{below.Information}\"); raise the OpeningBalance{(a.Template is not null ? " or the Salary, or lower the Rent or the CardSpending" : " or change the transactions")}.",
                ];
            }
        }

        return new Built(context.Bank, customer, errors);
    }
}
