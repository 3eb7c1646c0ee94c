namespace OpenBanking.Sandbox.Consents;

/// <summary>The 21 account-access permissions of v3.1.11 and the specification's rules for combining them.</summary>
public static class AccountAccessPermissions
{
    public const string ReadAccountsBasic = "ReadAccountsBasic";
    public const string ReadAccountsDetail = "ReadAccountsDetail";
    public const string ReadTransactionsBasic = "ReadTransactionsBasic";
    public const string ReadTransactionsDetail = "ReadTransactionsDetail";
    public const string ReadTransactionsCredits = "ReadTransactionsCredits";
    public const string ReadTransactionsDebits = "ReadTransactionsDebits";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        ReadAccountsBasic, ReadAccountsDetail, "ReadBalances", "ReadBeneficiariesBasic", "ReadBeneficiariesDetail",
        "ReadDirectDebits", "ReadOffers", "ReadPAN", "ReadParty", "ReadPartyPSU", "ReadProducts",
        "ReadScheduledPaymentsBasic", "ReadScheduledPaymentsDetail", "ReadStandingOrdersBasic",
        "ReadStandingOrdersDetail", "ReadStatementsBasic", "ReadStatementsDetail", ReadTransactionsBasic,
        ReadTransactionsCredits, ReadTransactionsDebits, ReadTransactionsDetail,
    };

    /// <summary>
    /// What is wrong with a set of known permissions, as messages (empty when valid). Basic and Detail together are
    /// legal (Detail implies Basic).
    /// </summary>
    public static IReadOnlyList<string> CombinationProblems(IReadOnlyCollection<string> permissions)
    {
        var problems = new List<string>();
        bool Has(string p) => permissions.Contains(p);

        if (!Has(ReadAccountsBasic) && !Has(ReadAccountsDetail))
        {
            problems.Add("Permissions must include ReadAccountsBasic or ReadAccountsDetail.");
        }

        var transactions = Has(ReadTransactionsBasic) || Has(ReadTransactionsDetail);
        var direction = Has(ReadTransactionsCredits) || Has(ReadTransactionsDebits);
        if (transactions && !direction)
        {
            problems.Add("ReadTransactionsBasic or ReadTransactionsDetail needs ReadTransactionsCredits and/or ReadTransactionsDebits.");
        }

        if (direction && !transactions)
        {
            problems.Add("ReadTransactionsCredits or ReadTransactionsDebits needs ReadTransactionsBasic or ReadTransactionsDetail.");
        }

        return problems;
    }
}
