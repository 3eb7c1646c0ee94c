using OpenBanking.Sandbox.Domain;

namespace OpenBanking.Sandbox.Accounts;

/// <summary>
/// The codes in which the two versions differ on the shapes they share: v3.1.11's names and, for v4.0, their ISO 20022
/// twins. Everything else about a balance, a transaction or a party is the same in both.
/// </summary>
public sealed record AisCodes(
    string InterimBooked,
    string InterimAvailable,
    string ClosingBooked,
    string BookedTransaction,
    string PendingTransaction,
    string BusinessAddress,
    string ResidentialAddress)
{
    public static readonly AisCodes V3_1_11 = new("InterimBooked", "InterimAvailable", "ClosingBooked", "Booked", "Pending", "Business", "Residential");

    /// <summary>
    /// v4.0 (ExternalBalanceType1Code, ExternalEntryStatus1Code, OBAddressType2Code). Its balance-type list has no
    /// closing-booked code (no CLBD): the bank's closing balance is yesterday's close, which ISO calls PRCD
    /// (previously closed booked). A residential address is HOME, a business one BIZZ.
    /// </summary>
    public static readonly AisCodes V4_0 = new("ITBD", "ITAV", "PRCD", "BOOK", "PDNG", "BIZZ", "HOME");

    public static AisCodes For(ApiVersion version) => version == ApiVersion.V4_0 ? V4_0 : V3_1_11;
}
