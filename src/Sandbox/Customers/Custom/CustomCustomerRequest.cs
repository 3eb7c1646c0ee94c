namespace OpenBanking.Sandbox.Customers.Custom;

// The body of POST /sandbox/v1/customers and of the Portal's POST /internal/tenants/{org}/customers (the Portal's
// NewCustomer record): PascalCase names like the other /sandbox/v1 APIs, read without regard to case.

/// <summary>A partner's own test customer: sign-in name, display name, optional password and 1–10 accounts.</summary>
public sealed record CustomCustomerRequest(string? Username, string? Name, string? Password, IReadOnlyList<CustomAccountRequest?>? Accounts);

/// <summary>One account: currency, opening balance (before the history), and a history from a template or a list (not both).</summary>
public sealed record CustomAccountRequest(
    string? Currency, string? OpeningBalance, string? Nickname = null, string? AccountSubType = null,
    HistoryTemplateRequest? Template = null, IReadOnlyList<CustomTransactionRequest?>? Transactions = null);

/// <summary>A generated history of <c>Months</c> months: monthly salary and rent, card spending of a profile.</summary>
public sealed record HistoryTemplateRequest(int? Months, string? Salary = null, string? Rent = null, string? CardSpending = null);

/// <summary>One booked transaction: signed amount (negative = debit) at an RFC 3339 time before the tenant's now.</summary>
public sealed record CustomTransactionRequest(string? BookingDateTime, string? Amount, string? Description, string? MerchantName = null);

/// <summary>What a create answers (the Portal's CreatedCustomer).</summary>
public sealed record CreatedCustomer(
    string CustomerId, string Username, string Name, string Password, string TotpSecret, string TotpUri, IReadOnlyList<CreatedAccount> Accounts);

/// <summary>An account made for a custom customer.</summary>
public sealed record CreatedAccount(string AccountId, string Currency, string SchemeName, string Identification, string Balance, int Transactions);
