using System.Globalization;
using System.Security.Cryptography;
using Bogus;
using OpenBanking.Sandbox.Customers;
using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Bank;

/// <summary>
/// The state of one tenant's generation: the faker, the id source, what has been made so far; and the bank's standing
/// data (customers, accounts, payees, offers). What happens to the accounts over time is an <see cref="EventSchedule"/>.
/// </summary>
/// <param name="ids">The id source: the tenant's own by default; a custom customer's ids come from its own salt, so they never clash with the generated bank's.</param>
internal sealed class GenerationContext(Tenant tenant, DateTime today, Faker faker, SandboxIds? ids = null)
{
    private readonly SandboxIds _ids = ids ?? new(tenant.OrganisationId);

    // Every customer of a tenant has the documented password; a salt from the seed keeps the hash (a row) deterministic.
    private readonly string _passwordHash = PasswordHash.Create(BankGenerator.DefaultPassword, SHA256.HashData(BitConverter.GetBytes(tenant.Seed)));

    public GeneratedBank Bank { get; } = new();
    public Guid TenantId => tenant.Id;
    public DateTime Today { get; } = today;
    public Faker Faker { get; } = faker;
    public Identifiers Identifiers { get; } = new(faker);

    public string NextId(string prefix) => _ids.Next(prefix);

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
            Phone = "+447700" + Faker.Random.Number(900000, 900999).ToString(CultureInfo.InvariantCulture),
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
        var accountNumber = Identifiers.AccountNumber();
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
            Identification = currency == "GBP" ? Identifiers.SortCode + accountNumber : Identifiers.Iban(accountNumber),
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
        account.Identification = Identifiers.CardNumber();
        return account;
    }

    public void Beneficiary(Account account, string name, string reference) => Bank.Beneficiaries.Add(new Beneficiary
    {
        Id = _ids.Next("ben"),
        TenantId = tenant.Id,
        AccountId = account.Id,
        Reference = reference,
        Name = name,
        SchemeName = "UK.OBIE.SortCodeAccountNumber",
        Identification = Identifiers.AccountAt(Identifiers.PayeeBankPrefix),
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
        CreditorIdentification = Identifiers.AccountAt(Identifiers.SupplierBankPrefix),
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
}
