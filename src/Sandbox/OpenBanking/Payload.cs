using OpenBanking.Sandbox.Bank;

namespace OpenBanking.Sandbox.OpenBanking;

/// <summary>An OBIE amount (OBActiveOrHistoricCurrencyAndAmount): a decimal string and its currency.</summary>
public sealed record ObAmount(string Amount, string Currency)
{
    public static ObAmount Of(long minor, string currency) => new(Money.Format(minor, currency), currency);
}

/// <summary>The mandatory <c>Links</c> block; <c>Self</c> is absolute.</summary>
public sealed record Links(string Self, string? First = null, string? Prev = null, string? Next = null, string? Last = null);

/// <summary>The mandatory <c>Meta</c> block (may be empty).</summary>
public sealed record Meta(int? TotalPages = null, DateTimeOffset? FirstAvailableDateTime = null, DateTimeOffset? LastAvailableDateTime = null);

/// <summary>An empty JSON object, e.g. account access's <c>Risk: {}</c>.</summary>
public sealed record EmptyObject;

/// <summary>How the bank presents itself in payloads.</summary>
public sealed class OpenBankingOptions
{
    public const string SectionName = "OpenBanking";

    /// <summary>The public base URL partners call (the gateway); <c>Links</c> are built on it.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5002";

    /// <summary>Transactions per page (the specification asks for 25 to 1000).</summary>
    public int PageSize { get; set; } = 100;
}
