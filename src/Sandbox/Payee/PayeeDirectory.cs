using System.Text.Json;

namespace OpenBanking.Sandbox.Payee;

/// <summary>How an account answers Confirmation of Payee beyond its name.</summary>
public enum PayeeAccountStatus
{
    Active,
    OptedOut,
    Switched,
    Unsupported,
}

/// <summary>An account as Confirmation of Payee sees it: the holder's name, its type and status, and a roll number if it needs one.</summary>
public sealed record PayeeAccount(string Name, PayeeAccountType AccountType, PayeeAccountStatus Status = PayeeAccountStatus.Active, string? SecondaryIdentification = null);

/// <summary>One account of another bank in the seeded directory (<c>payee-directory.json</c>).</summary>
public sealed record DirectoryEntry(
    string SortCode, string AccountNumber, string Name, PayeeAccountType AccountType, PayeeAccountStatus Status = PayeeAccountStatus.Active,
    string? SecondaryIdentification = null, string? Scenario = null);

/// <summary>
/// Other banks' accounts the sandbox answers Confirmation of Payee for, the same for every partner. A sort code in it
/// is a bank on the service: an account number it does not list there is AC01; a sort code it does not have at all
/// (and not the sandbox bank's own) is SCNS.
/// </summary>
public sealed class PayeeDirectory
{
    private readonly Dictionary<string, DirectoryEntry> _accounts;

    public PayeeDirectory(IEnumerable<DirectoryEntry> entries)
    {
        Entries = [.. entries];
        _accounts = Entries.ToDictionary(e => e.SortCode + e.AccountNumber, StringComparer.Ordinal);
        SortCodes = Entries.Select(e => e.SortCode).ToHashSet(StringComparer.Ordinal);
    }

    public IReadOnlyList<DirectoryEntry> Entries { get; }

    /// <summary>The other banks' sort codes on the service.</summary>
    public IReadOnlySet<string> SortCodes { get; }

    /// <summary>The directory shipped with the Sandbox (an embedded resource).</summary>
    public static PayeeDirectory Seeded()
    {
        using var stream = typeof(PayeeDirectory).Assembly.GetManifestResourceStream("OpenBanking.Sandbox.Payee.payee-directory.json")
            ?? throw new InvalidOperationException("The payee directory is not embedded in the assembly.");
        var file = JsonSerializer.Deserialize<DirectoryFile>(stream, Json) ?? throw new InvalidOperationException("The payee directory is empty.");
        return new PayeeDirectory(file.Entries);
    }

    public DirectoryEntry? Find(string sortCode, string accountNumber) => _accounts.GetValueOrDefault(sortCode + accountNumber);

    private static readonly JsonSerializerOptions Json = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    private sealed record DirectoryFile(string Notice, IReadOnlyList<DirectoryEntry> Entries);
}
