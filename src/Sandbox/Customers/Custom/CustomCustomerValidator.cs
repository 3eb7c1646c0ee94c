using System.Globalization;
using System.Text.RegularExpressions;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Fx;

namespace OpenBanking.Sandbox.Customers.Custom;

/// <summary>A request that passed every check, in the bank's terms (minor units, UTC times).</summary>
public sealed record CustomerPlan(string Username, string Name, string? Password, IReadOnlyList<AccountPlan> Accounts);

public sealed record AccountPlan(
    string Currency, long OpeningMinor, string? Nickname, string SubType, TemplatePlan? Template, IReadOnlyList<TransactionPlan>? Transactions);

/// <param name="CardPerDay">Card payments a day on average (0 for none).</param>
public sealed record TemplatePlan(int Months, long? SalaryMinor, long? RentMinor, string CardSpending, double CardPerDay);

/// <param name="Index">Its place in the request's list (errors name it).</param>
public sealed record TransactionPlan(int Index, DateTime When, long SignedMinor, string Description, string? MerchantName);

/// <summary>
/// Checks a custom customer request and reports every problem at once, keyed by the field's path as the request
/// spells it (<c>Username</c>, <c>Accounts[0].Currency</c>, <c>Accounts[1].Transactions[3].Amount</c>), in plain words.
/// Uniqueness of the username is the caller's check (it needs the tenant's customers).
/// </summary>
public static partial class CustomCustomerValidator
{
    public const int MaxAccounts = 10;
    public const int MaxTransactions = 2000;
    public const long MaxOpeningMajor = 1_000_000_000;

    /// <summary>How far back an uploaded history may go (a template goes back at most 24 months).</summary>
    public const int MaxHistoryYears = 5;

    public static readonly IReadOnlyList<string> SubTypes = ["CurrentAccount", "Savings"];

    /// <summary>Card payments a day of each profile.</summary>
    public static readonly IReadOnlyDictionary<string, double> CardProfiles = new Dictionary<string, double>(StringComparer.Ordinal)
    {
        ["none"] = 0, ["light"] = 0.5, ["moderate"] = 1.2, ["heavy"] = 2.5,
    };

    public static (CustomerPlan? Plan, Dictionary<string, string[]> Errors) Validate(CustomCustomerRequest request, DateTimeOffset now)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string key, string message)
        {
            if (!errors.TryGetValue(key, out var list))
            {
                errors[key] = list = [];
            }

            list.Add(message);
        }

        var username = request.Username?.Trim() ?? string.Empty;
        if (username.Length == 0)
        {
            Add("Username", "Enter a username.");
        }
        else if (username.Length is < 3 or > 40)
        {
            Add("Username", $"The username must be 3 to 40 characters long; \"{Short(username)}\" has {username.Length}.");
        }
        else if (!UsernamePattern().IsMatch(username))
        {
            Add("Username", "The username may only use lower-case letters a-z, digits and . _ - (no spaces or capitals).");
        }

        var name = request.Name?.Trim() ?? string.Empty;
        if (name.Length == 0)
        {
            Add("Name", "Enter the customer's name.");
        }
        else if (name.Length > 70)
        {
            Add("Name", $"The name must be at most 70 characters; it has {name.Length}.");
        }

        if (request.Password is { } password && password.Length is < 8 or > 64)
        {
            Add("Password", "The password must be 8 to 64 characters long (or leave it out to use \"sandbox\").");
        }

        var accounts = new List<AccountPlan>();
        if (request.Accounts is null || request.Accounts.Count == 0)
        {
            Add("Accounts", "Add at least one account.");
        }
        else if (request.Accounts.Count > MaxAccounts)
        {
            Add("Accounts", $"A customer has at most {MaxAccounts} accounts; this one has {request.Accounts.Count}.");
        }
        else
        {
            for (var i = 0; i < request.Accounts.Count; i++)
            {
                if (ValidateAccount(request.Accounts[i], $"Accounts[{i}]", now, Add) is { } plan)
                {
                    accounts.Add(plan);
                }
            }
        }

        return errors.Count > 0
            ? (null, errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal))
            : (new CustomerPlan(username, name, request.Password, accounts), []);
    }

    private static AccountPlan? ValidateAccount(CustomAccountRequest? account, string key, DateTimeOffset now, Action<string, string> add)
    {
        if (account is null)
        {
            add(key, "Describe the account (at least its Currency and OpeningBalance).");
            return null;
        }

        var failed = false;
        void Fail(string field, string message)
        {
            failed = true;
            add(field, message);
        }

        var currency = account.Currency?.Trim() ?? string.Empty;
        var currencyKnown = false;
        if (currency.Length == 0)
        {
            Fail($"{key}.Currency", "Enter the account's currency, such as GBP.");
        }
        else if (!FxRates.Trades(currency))
        {
            Fail($"{key}.Currency", $"The bank does not keep accounts in \"{Short(currency)}\"; use one of {string.Join(", ", FxRates.Codes)}.");
        }
        else
        {
            currencyKnown = true;
        }

        long opening = 0;
        if (string.IsNullOrWhiteSpace(account.OpeningBalance))
        {
            Fail($"{key}.OpeningBalance", "Enter the opening balance, such as \"1500.00\" (\"0\" for an empty account).");
        }
        else if (currencyKnown && TryAmount(account.OpeningBalance.Trim(), currency, signed: false, out opening) is { } error)
        {
            Fail($"{key}.OpeningBalance", "The opening balance " + error);
        }
        else if (currencyKnown && opening > MaxOpeningMajor * Currencies.MinorPerMajor(currency))
        {
            Fail($"{key}.OpeningBalance", $"The opening balance may be at most {MaxOpeningMajor:N0} {currency}.");
        }

        if (account.Nickname is { Length: > 70 })
        {
            Fail($"{key}.Nickname", "The nickname must be at most 70 characters.");
        }

        var subType = string.IsNullOrWhiteSpace(account.AccountSubType) ? "CurrentAccount" : account.AccountSubType.Trim();
        if (!SubTypes.Contains(subType))
        {
            Fail($"{key}.AccountSubType", $"The account sub-type must be {string.Join(" or ", SubTypes)}.");
        }

        if (account.Template is not null && account.Transactions is not null)
        {
            Fail(key, "Give the history either as a Template or as a list of Transactions, not both.");
            return null;
        }

        TemplatePlan? template = null;
        if (account.Template is { } t)
        {
            var months = t.Months ?? 0;
            if (months is < 1 or > 24)
            {
                Fail($"{key}.Template.Months", "The template's Months must be a whole number from 1 to 24.");
            }

            long? salary = null, rent = null;
            if (t.Salary is not null && currencyKnown)
            {
                if (TryAmount(t.Salary.Trim(), currency, signed: false, out var s) is { } e)
                {
                    Fail($"{key}.Template.Salary", "The salary " + e);
                }
                else if (s == 0)
                {
                    Fail($"{key}.Template.Salary", "The salary must be more than zero (or leave it out).");
                }
                else
                {
                    salary = s;
                }
            }

            if (t.Rent is not null && currencyKnown)
            {
                if (TryAmount(t.Rent.Trim(), currency, signed: false, out var r) is { } e)
                {
                    Fail($"{key}.Template.Rent", "The rent " + e);
                }
                else if (r == 0)
                {
                    Fail($"{key}.Template.Rent", "The rent must be more than zero (or leave it out).");
                }
                else
                {
                    rent = r;
                }
            }

            var profile = string.IsNullOrWhiteSpace(t.CardSpending) ? "none" : t.CardSpending.Trim();
            if (!CardProfiles.TryGetValue(profile, out var perDay))
            {
                Fail($"{key}.Template.CardSpending", "Card spending must be none, light, moderate or heavy.");
            }

            template = new TemplatePlan(months, salary, rent, profile, perDay);
        }

        List<TransactionPlan>? transactions = null;
        if (account.Transactions is { } list)
        {
            if (list.Count > MaxTransactions)
            {
                Fail($"{key}.Transactions", $"Upload at most {MaxTransactions:N0} transactions per account; this list has {list.Count:N0}.");
            }
            else
            {
                transactions = [];
                var earliest = now.AddYears(-MaxHistoryYears);
                for (var j = 0; j < list.Count; j++)
                {
                    var tx = list[j];
                    var at = $"{key}.Transactions[{j}]";
                    if (tx is null)
                    {
                        Fail(at, "Describe the transaction (BookingDateTime, Amount and Description).");
                        continue;
                    }

                    DateTimeOffset when = default;
                    if (string.IsNullOrWhiteSpace(tx.BookingDateTime))
                    {
                        Fail($"{at}.BookingDateTime", "Enter when the transaction was booked, such as \"2026-01-31T09:30:00Z\".");
                    }
                    else if (!Rfc3339Pattern().IsMatch(tx.BookingDateTime.Trim())
                        || !DateTimeOffset.TryParse(tx.BookingDateTime.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out when))
                    {
                        Fail($"{at}.BookingDateTime", $"\"{Short(tx.BookingDateTime)}\" is not an RFC 3339 date and time with its offset, such as \"2026-01-31T09:30:00Z\".");
                    }
                    else if (when >= now)
                    {
                        Fail($"{at}.BookingDateTime", $"The booking time must be before the sandbox's now ({Rfc3339(now)}); {tx.BookingDateTime.Trim()} is not.");
                    }
                    else if (when < earliest)
                    {
                        Fail($"{at}.BookingDateTime", $"The booking time must be within the last {MaxHistoryYears} years (after {Rfc3339(earliest)}).");
                    }

                    long amount = 0;
                    if (string.IsNullOrWhiteSpace(tx.Amount))
                    {
                        Fail($"{at}.Amount", "Enter the amount, such as \"-12.50\" for a payment out or \"2500.00\" for money in.");
                    }
                    else if (currencyKnown && TryAmount(tx.Amount.Trim(), currency, signed: true, out amount) is { } error)
                    {
                        Fail($"{at}.Amount", "The amount " + error);
                    }
                    else if (currencyKnown && amount == 0)
                    {
                        Fail($"{at}.Amount", "The amount must not be zero (negative for money out, positive for money in).");
                    }

                    var description = tx.Description?.Trim() ?? string.Empty;
                    if (description.Length is < 1 or > 140)
                    {
                        Fail($"{at}.Description", description.Length == 0 ? "Enter a description." : "The description must be at most 140 characters.");
                    }

                    if (tx.MerchantName is { Length: > 70 })
                    {
                        Fail($"{at}.MerchantName", "The merchant name must be at most 70 characters.");
                    }

                    transactions.Add(new TransactionPlan(j, when.UtcDateTime, amount, description, string.IsNullOrWhiteSpace(tx.MerchantName) ? null : tx.MerchantName.Trim()));
                }
            }
        }

        if (failed)
        {
            return null;
        }

        // The uploaded history, in booking order, must never take the balance below zero: the first time it does is named.
        if (transactions is { Count: > 0 })
        {
            var balance = opening;
            foreach (var tx in transactions.OrderBy(x => x.When).ThenBy(x => x.Index))
            {
                balance += tx.SignedMinor;
                if (balance < 0)
                {
                    add($"{key}.Transactions[{tx.Index}].Amount",
                        $"On {Rfc3339(tx.When)} this transaction takes the balance to -{Money.Format(-balance, currency)} {currency}, "
                        + $"{Money.Format(-balance, currency)} {currency} below zero; raise the OpeningBalance or change the transactions.");
                    return null;
                }
            }
        }

        return new AccountPlan(currency, opening, string.IsNullOrWhiteSpace(account.Nickname) ? null : account.Nickname.Trim(), subType, template, transactions);
    }

    /// <summary>
    /// Reads an OBIE-style decimal string in minor units of the currency; the words of the problem, or null. Zero is
    /// accepted (callers refuse it where it makes no sense).
    /// </summary>
    public static string? TryAmount(string text, string currency, bool signed, out long minor)
    {
        minor = 0;
        var negative = signed && text.StartsWith('-');
        var digits = negative ? text[1..] : text;
        if (!AmountPattern().IsMatch(digits)
            || !decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var major))
        {
            return signed
                ? $"must be a decimal string such as \"-12.50\" or \"2500.00\"; \"{Short(text)}\" is not."
                : $"must be a decimal string such as \"1500.00\" (not negative); \"{Short(text)}\" is not.";
        }

        var scaled = major * Currencies.MinorPerMajor(currency);
        if (scaled != decimal.Truncate(scaled))
        {
            var exponent = Currencies.Exponent(currency);
            return exponent == 0
                ? $"must be a whole number of {currency} (it has no decimal places); \"{Short(text)}\" is not."
                : $"has at most {exponent} decimal places in {currency}; \"{Short(text)}\" has more.";
        }

        if (scaled > long.MaxValue / 4)
        {
            return "is too large.";
        }

        minor = negative ? -(long)scaled : (long)scaled;
        return null;
    }

    public static string Rfc3339(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Rfc3339(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Short(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [GeneratedRegex("^[a-z0-9._-]+$")]
    private static partial Regex UsernamePattern();

    [GeneratedRegex(@"^\d{1,13}(\.\d{1,5})?$")]
    private static partial Regex AmountPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339Pattern();
}
