using System.Collections.Frozen;

namespace OpenBanking.Sandbox.Consents;

/// <summary>
/// The account-access permissions of v3.1.11 as a set of flags: a consent's permissions are one value, and a check
/// is one AND.
/// </summary>
[Flags]
public enum AccountAccessPermission
{
    None = 0,
    ReadAccountsBasic = 1 << 0,
    ReadAccountsDetail = 1 << 1,
    ReadBalances = 1 << 2,
    ReadBeneficiariesBasic = 1 << 3,
    ReadBeneficiariesDetail = 1 << 4,
    ReadDirectDebits = 1 << 5,
    ReadOffers = 1 << 6,
    ReadPAN = 1 << 7,
    ReadParty = 1 << 8,
    ReadPartyPSU = 1 << 9,
    ReadProducts = 1 << 10,
    ReadScheduledPaymentsBasic = 1 << 11,
    ReadScheduledPaymentsDetail = 1 << 12,
    ReadStandingOrdersBasic = 1 << 13,
    ReadStandingOrdersDetail = 1 << 14,
    ReadStatementsBasic = 1 << 15,
    ReadStatementsDetail = 1 << 16,
    ReadTransactionsBasic = 1 << 17,
    ReadTransactionsCredits = 1 << 18,
    ReadTransactionsDebits = 1 << 19,
    ReadTransactionsDetail = 1 << 20,
}

/// <summary>The permissions' names in the specification, and its rules for combining them.</summary>
public static class AccountAccessPermissions
{
    /// <summary>The wire names: the only place the permission codes are spelled.</summary>
    private static readonly FrozenDictionary<string, AccountAccessPermission> ByName = new Dictionary<string, AccountAccessPermission>
    {
        ["ReadAccountsBasic"] = AccountAccessPermission.ReadAccountsBasic,
        ["ReadAccountsDetail"] = AccountAccessPermission.ReadAccountsDetail,
        ["ReadBalances"] = AccountAccessPermission.ReadBalances,
        ["ReadBeneficiariesBasic"] = AccountAccessPermission.ReadBeneficiariesBasic,
        ["ReadBeneficiariesDetail"] = AccountAccessPermission.ReadBeneficiariesDetail,
        ["ReadDirectDebits"] = AccountAccessPermission.ReadDirectDebits,
        ["ReadOffers"] = AccountAccessPermission.ReadOffers,
        ["ReadPAN"] = AccountAccessPermission.ReadPAN,
        ["ReadParty"] = AccountAccessPermission.ReadParty,
        ["ReadPartyPSU"] = AccountAccessPermission.ReadPartyPSU,
        ["ReadProducts"] = AccountAccessPermission.ReadProducts,
        ["ReadScheduledPaymentsBasic"] = AccountAccessPermission.ReadScheduledPaymentsBasic,
        ["ReadScheduledPaymentsDetail"] = AccountAccessPermission.ReadScheduledPaymentsDetail,
        ["ReadStandingOrdersBasic"] = AccountAccessPermission.ReadStandingOrdersBasic,
        ["ReadStandingOrdersDetail"] = AccountAccessPermission.ReadStandingOrdersDetail,
        ["ReadStatementsBasic"] = AccountAccessPermission.ReadStatementsBasic,
        ["ReadStatementsDetail"] = AccountAccessPermission.ReadStatementsDetail,
        ["ReadTransactionsBasic"] = AccountAccessPermission.ReadTransactionsBasic,
        ["ReadTransactionsCredits"] = AccountAccessPermission.ReadTransactionsCredits,
        ["ReadTransactionsDebits"] = AccountAccessPermission.ReadTransactionsDebits,
        ["ReadTransactionsDetail"] = AccountAccessPermission.ReadTransactionsDetail,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<AccountAccessPermission, string> NameOf
        = ByName.ToFrozenDictionary(pair => pair.Value, pair => pair.Key);

    /// <summary>The 21 permission codes as a consent request spells them.</summary>
    public static IReadOnlySet<string> All { get; } = ByName.Keys.ToFrozenSet(StringComparer.Ordinal);

    public static bool TryParse(string name, out AccountAccessPermission permission) => ByName.TryGetValue(name, out permission);

    /// <summary>The set of the known codes among <paramref name="names"/> (a stored consent holds only known ones).</summary>
    public static AccountAccessPermission Parse(IEnumerable<string> names)
    {
        var set = AccountAccessPermission.None;
        foreach (var name in names)
        {
            if (ByName.TryGetValue(name, out var permission))
            {
                set |= permission;
            }
        }

        return set;
    }

    /// <summary>The code of one permission (a single flag).</summary>
    public static string Name(AccountAccessPermission permission) => NameOf[permission];

    /// <summary>
    /// What is wrong with a set of known permission codes, as messages (empty when valid). Basic and Detail together
    /// are legal (Detail implies Basic).
    /// </summary>
    public static IReadOnlyList<string> CombinationProblems(IReadOnlyCollection<string> permissions)
        => CombinationProblems(Parse(permissions));

    public static IReadOnlyList<string> CombinationProblems(AccountAccessPermission permissions)
    {
        const AccountAccessPermission accounts = AccountAccessPermission.ReadAccountsBasic | AccountAccessPermission.ReadAccountsDetail;
        const AccountAccessPermission transactions = AccountAccessPermission.ReadTransactionsBasic | AccountAccessPermission.ReadTransactionsDetail;
        const AccountAccessPermission direction = AccountAccessPermission.ReadTransactionsCredits | AccountAccessPermission.ReadTransactionsDebits;
        var problems = new List<string>();
        if ((permissions & accounts) == 0)
        {
            problems.Add("Permissions must include ReadAccountsBasic or ReadAccountsDetail.");
        }

        var hasTransactions = (permissions & transactions) != 0;
        var hasDirection = (permissions & direction) != 0;
        if (hasTransactions && !hasDirection)
        {
            problems.Add("ReadTransactionsBasic or ReadTransactionsDetail needs ReadTransactionsCredits and/or ReadTransactionsDebits.");
        }

        if (hasDirection && !hasTransactions)
        {
            problems.Add("ReadTransactionsCredits or ReadTransactionsDebits needs ReadTransactionsBasic or ReadTransactionsDetail.");
        }

        return problems;
    }
}
