namespace OpenBanking.Identity.Consents;

/// <summary>Open Banking permission codes as a bank customer reads them.</summary>
public static class PermissionText
{
    private static readonly Dictionary<string, string> Texts = new(StringComparer.Ordinal)
    {
        ["ReadAccountsBasic"] = "Your account names, types and currencies",
        ["ReadAccountsDetail"] = "Your account names, types, currencies and account numbers",
        ["ReadBalances"] = "Your account balances",
        ["ReadBeneficiariesBasic"] = "The names of the people and businesses you pay",
        ["ReadBeneficiariesDetail"] = "The names and account details of the people and businesses you pay",
        ["ReadDirectDebits"] = "Your Direct Debits",
        ["ReadOffers"] = "Offers the bank has made to you",
        ["ReadPAN"] = "Your full card numbers",
        ["ReadParty"] = "The account holders' names and contact details",
        ["ReadPartyPSU"] = "Your own name and contact details",
        ["ReadProducts"] = "The products your accounts are",
        ["ReadScheduledPaymentsBasic"] = "Your future-dated payments",
        ["ReadScheduledPaymentsDetail"] = "Your future-dated payments, with the payees' account details",
        ["ReadStandingOrdersBasic"] = "Your standing orders",
        ["ReadStandingOrdersDetail"] = "Your standing orders, with the payees' account details",
        ["ReadStatementsBasic"] = "Your statements",
        ["ReadStatementsDetail"] = "Your statements, with their amounts and details",
        ["ReadTransactionsBasic"] = "Your transactions (dates and amounts)",
        ["ReadTransactionsDetail"] = "Your transactions, with descriptions, merchants and counterparties",
        ["ReadTransactionsCredits"] = "Money coming in",
        ["ReadTransactionsDebits"] = "Money going out",
    };

    public static string Describe(string permission) => Texts.GetValueOrDefault(permission, permission);

    /// <summary>The customer-facing lines, transaction scope (credits/debits) folded into the transaction line.</summary>
    public static IReadOnlyList<string> Describe(IReadOnlyList<string> permissions)
    {
        var lines = new List<string>();
        var credits = permissions.Contains("ReadTransactionsCredits");
        var debits = permissions.Contains("ReadTransactionsDebits");
        foreach (var permission in permissions)
        {
            if (permission is "ReadTransactionsCredits" or "ReadTransactionsDebits")
            {
                continue;
            }

            var text = Describe(permission);
            if (permission.StartsWith("ReadTransactions", StringComparison.Ordinal))
            {
                text += (credits, debits) switch
                {
                    (true, true) => ": money in and out",
                    (true, false) => ": money coming in only",
                    (false, true) => ": money going out only",
                    _ => string.Empty,
                };
            }

            lines.Add(text);
        }

        return lines;
    }
}
