using System.Text.Json;
using OpenBanking.Portal.Platform;

namespace OpenBanking.Portal.Partners;

/// <summary>How an account of a new test customer gets its history.</summary>
public enum HistoryKind
{
    None,
    Template,
    Upload,
}

/// <summary>One account row of the "Add test customer" form.</summary>
public sealed class CustomerAccountForm
{
    public string? Currency { get; set; } = "GBP";

    public string? OpeningBalance { get; set; } = "1000.00";

    public string? Nickname { get; set; }

    public HistoryKind History { get; set; }

    public int Months { get; set; } = 6;

    public string? Salary { get; set; } = "2500.00";

    public string? Rent { get; set; } = "950.00";

    public string CardSpending { get; set; } = "moderate";

    /// <summary>The uploaded file's name and its transactions (null until a file was read).</summary>
    public string? UploadName { get; set; }

    public IReadOnlyList<NewTransaction>? Uploaded { get; set; }

    /// <summary>Why the uploaded file could not be read (shown next to the upload).</summary>
    public string? UploadError { get; set; }
}

/// <summary>
/// The "Add test customer" form: what the partner typed, turned into the Sandbox's <see cref="NewCustomer"/>; the Sandbox
/// validates every field and its errors come back keyed like <c>Accounts[0].Currency</c>, which <see cref="ErrorFor"/>
/// places next to their fields.
/// </summary>
public sealed class CustomerForm
{
    public const int MaxAccounts = 10;

    /// <summary>The largest transaction file the form reads (the gateway's limit on the sandbox API is 2 MiB too).</summary>
    public const long MaxUploadBytes = 2 * 1024 * 1024;

    public static readonly IReadOnlyList<string> CardSpendingProfiles = ["none", "light", "moderate", "heavy"];

    public string? Username { get; set; }

    public string? Name { get; set; }

    public string? Password { get; set; }

    public List<CustomerAccountForm> Accounts { get; } = [new()];

    /// <summary>The errors of the last attempt, by the Sandbox's field names (compared case-insensitively).</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    public void SetErrors(IReadOnlyDictionary<string, string[]> errors)
        => Errors = new Dictionary<string, string[]>(errors, StringComparer.OrdinalIgnoreCase);

    /// <summary>The messages for one field (<c>Username</c>, <c>Accounts[0].Currency</c>), or null.</summary>
    public string? ErrorFor(string field)
        => Errors.TryGetValue(field, out var messages) && messages.Length > 0 ? string.Join(" ", messages) : null;

    /// <summary>Every message about an account's history (template fields and each uploaded transaction), in key order.</summary>
    public IReadOnlyList<string> HistoryErrors(int account)
    {
        var prefixes = new[] { $"Accounts[{account}].Template", $"Accounts[{account}].Transactions" };
        return [.. Errors.Where(e => prefixes.Any(p => e.Key.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .SelectMany(e => e.Value.Select(m => e.Key.Length > $"Accounts[{account}].".Length ? $"{e.Key[$"Accounts[{account}].".Length..]}: {m}" : m))];
    }

    /// <summary>Errors that belong to no field the form shows (so nothing the Sandbox said is ever hidden).</summary>
    public IReadOnlyList<string> OtherErrors()
    {
        var shown = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Username", "Name", "Password", "Accounts" };
        for (var i = 0; i < Accounts.Count; i++)
        {
            foreach (var field in new[] { "Currency", "OpeningBalance", "Nickname", "AccountSubType" })
            {
                shown.Add($"Accounts[{i}].{field}");
            }
        }

        return [.. Errors.Where(e => !shown.Contains(e.Key) && !IsHistoryKey(e.Key)).SelectMany(e => e.Value)];
    }

    private bool IsHistoryKey(string key)
        => Enumerable.Range(0, Accounts.Count).Any(i => key.StartsWith($"Accounts[{i}].Template", StringComparison.OrdinalIgnoreCase)
            || key.StartsWith($"Accounts[{i}].Transactions", StringComparison.OrdinalIgnoreCase));

    public NewCustomer ToRequest() => new(
        (Username ?? "").Trim(), (Name ?? "").Trim(), string.IsNullOrEmpty(Password) ? null : Password,
        [.. Accounts.Select(a => new NewAccount(
            (a.Currency ?? "").Trim().ToUpperInvariant(), (a.OpeningBalance ?? "").Trim(), string.IsNullOrWhiteSpace(a.Nickname) ? null : a.Nickname.Trim(),
            Template: a.History == HistoryKind.Template
                ? new HistoryTemplate(a.Months, Blank(a.Salary), Blank(a.Rent), a.CardSpending)
                : null,
            Transactions: a.History == HistoryKind.Upload ? a.Uploaded ?? [] : null))]);

    /// <summary>
    /// Reads an uploaded transaction list: a JSON array of <c>{BookingDateTime, Amount, Description, MerchantName?}</c>,
    /// or an object with such an array under <c>Transactions</c> (names in any case). Null and a sentence when it is not.
    /// </summary>
    public static (IReadOnlyList<NewTransaction>? Transactions, string? Error) ParseUpload(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                var property = root.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, "Transactions", StringComparison.OrdinalIgnoreCase));
                if (property.Value.ValueKind != JsonValueKind.Array)
                {
                    return (null, "The file is a JSON object without a \"Transactions\" array; upload an array of transactions, or an object with one under \"Transactions\".");
                }

                root = property.Value;
            }

            if (root.ValueKind != JsonValueKind.Array)
            {
                return (null, "The file must hold a JSON array of transactions.");
            }

            var transactions = new List<NewTransaction>();
            var index = 0;
            foreach (var item in root.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object)
                {
                    return (null, $"Item {index} is not an object with BookingDateTime, Amount and Description.");
                }

                // Amounts may be written as numbers or strings; the Sandbox checks their decimals against the currency.
                transactions.Add(new NewTransaction(
                    Text(item, "BookingDateTime") ?? "", Text(item, "Amount") ?? "", Text(item, "Description") ?? "", Text(item, "MerchantName")));
                index++;
            }

            return transactions.Count == 0 ? (null, "The file holds no transactions.") : (transactions, null);
        }
        catch (JsonException exception)
        {
            return (null, $"The file is not valid JSON (line {(exception.LineNumber ?? 0) + 1}): {exception.Message.Split(" Path:")[0]}");
        }
    }

    private static string? Text(JsonElement item, string name)
    {
        var property = item.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        return property.Value.ValueKind switch
        {
            JsonValueKind.String => property.Value.GetString(),
            JsonValueKind.Number => property.Value.GetRawText(),
            _ => null,
        };
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
