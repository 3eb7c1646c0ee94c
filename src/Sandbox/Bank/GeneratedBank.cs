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
