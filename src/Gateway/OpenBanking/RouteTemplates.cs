using System.Text;

namespace OpenBanking.Gateway.OpenBanking;

/// <summary>
/// The call log groups calls per endpoint: a path with its ids replaced by the specification's placeholders. Open
/// Banking paths alternate collection and id after <c>/open-banking/{version}/{api}</c>
/// (<c>/accounts/{AccountId}/statements/{StatementId}/file</c>), so no list of paths is needed.
/// </summary>
public static class RouteTemplates
{
    private const int MaxLength = 200;

    /// <summary>The partner's sandbox controls (the test clock), logged beside the bank calls.</summary>
    public const string SandboxPath = "/sandbox/v1";

    /// <summary>Confirmation of Payee (docs/confirmation-of-payee.md): logged like the bank calls, one endpoint.</summary>
    public const string ConfirmationOfPayeePath = "/confirmation-of-payee/v1";

    /// <summary>Whether the call log keeps a call to this path: the bank APIs' are decided by <see cref="ObieResponses.IsOpenBanking"/>.</summary>
    public static bool IsPartnerTool(PathString path) => path.StartsWithSegments(SandboxPath) || path.StartsWithSegments(ConfirmationOfPayeePath);

    public static string? For(PathString path)
    {
        var value = path.Value;
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        // The partner's sandbox controls: the test clock's path is its own template; an FX contract's id is a placeholder,
        // or every contract would be an endpoint of its own in the call log.
        if (path.StartsWithSegments(SandboxPath + "/fx-contracts", out var contract) && contract.HasValue && contract.Value != "/")
        {
            return SandboxPath + "/fx-contracts/{ContractIdentification}";
        }

        // A custom test customer's id is a placeholder too.
        if (path.StartsWithSegments(SandboxPath + "/customers", out var customer) && customer.HasValue && customer.Value != "/")
        {
            return SandboxPath + "/customers/{CustomerId}";
        }

        if (IsPartnerTool(path))
        {
            return value.Length <= MaxLength ? value.ToLowerInvariant() : null;
        }

        if (!path.StartsWithSegments(ObieResponses.BasePath))
        {
            return null;
        }

        var segments = value.Split('/', StringSplitOptions.RemoveEmptyEntries);
        // The Events API has no api segment: /open-banking/v3.1/event-subscriptions/{EventSubscriptionId}.
        var firstId = segments.Length > 2 && segments[2] is "event-subscriptions" or "events" ? 3 : 4;
        var template = new StringBuilder();
        for (var i = 0; i < segments.Length; i++)
        {
            template.Append('/');
            // 0 open-banking, 1 version, 2 api, then collection, id, collection, id…
            if (i >= firstId && (i - firstId) % 2 == 0)
            {
                template.Append(Placeholder(segments[i - 1]));
            }
            else
            {
                template.Append(segments[i].Length <= 60 ? segments[i] : "{segment}");
            }

            if (template.Length > MaxLength)
            {
                return template.ToString(0, MaxLength);
            }
        }

        return template.ToString();
    }

    private static string Placeholder(string collection) => collection switch
    {
        "accounts" => "{AccountId}",
        "statements" => "{StatementId}",
        "event-subscriptions" => "{EventSubscriptionId}",
        "domestic-payments" => "{DomesticPaymentId}",
        "domestic-scheduled-payments" => "{DomesticScheduledPaymentId}",
        "domestic-standing-orders" => "{DomesticStandingOrderId}",
        "domestic-vrps" => "{DomesticVRPId}",
        "international-payments" => "{InternationalPaymentId}",
        "file-payments" => "{FilePaymentId}",
        _ when collection.EndsWith("-consents", StringComparison.Ordinal) => "{ConsentId}",
        _ => "{Id}",
    };

    /// <summary>
    /// The id a bank-API path names after a consents collection (<c>/aisp/account-access-consents/{ConsentId}</c>): the
    /// same <c>…-consents</c> rule <see cref="For"/> turns into <c>{ConsentId}</c>, read without allocating but the id.
    /// </summary>
    public static string? ConsentIdIn(PathString path)
    {
        if (!path.StartsWithSegments(ObieResponses.BasePath) || path.Value is not { } value)
        {
            return null;
        }

        var rest = value.AsSpan();
        while (rest.Length > 0)
        {
            rest = rest.TrimStart('/');
            var end = rest.IndexOf('/');
            var segment = end < 0 ? rest : rest[..end];
            if (end < 0)
            {
                return null;
            }

            if (segment.EndsWith("-consents", StringComparison.Ordinal))
            {
                var after = rest[(end + 1)..];
                var next = after.IndexOf('/');
                var id = next < 0 ? after : after[..next];
                return id.IsEmpty ? null : id.ToString();
            }

            rest = rest[(end + 1)..];
        }

        return null;
    }
}
