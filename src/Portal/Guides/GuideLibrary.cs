using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace OpenBanking.Portal.Guides;

/// <summary>A guide the Portal serves: <c>docs/{Name}.md</c> at <c>/guides/{Name}</c>.</summary>
public sealed record GuideInfo(string Name, string Title, string Summary)
{
    public static IReadOnlyList<GuideInfo> All { get; } =
    [
        new("authorisation", "Getting a customer's consent",
            "The authorization code flow step by step: consent, pushed authorization request, PKCE, code exchange, and the non-browser shortcut for tests."),
        new("sandbox", "The sandbox bank",
            "Your organisation's own test bank: the test customers, the Account and Transaction API it serves, and its settings."),
        new("payments", "Payments and confirmation of funds",
            "Domestic payments from consent to settlement, the ledger, the risk engine and the amounts and payees that trigger each outcome."),
        new("recurring-payments", "The test clock and payments that happen later",
            "Your sandbox bank's own clock (freeze it, advance it a day or a year), scheduled payments, standing orders and variable recurring payments, with a worked VRP example."),
        new("standing-orders", "Standing orders",
            "Every frequency form of both versions, first, recurring and final amounts, working days and bank holidays, execution on the clock and what AIS shows."),
        new("international-payments", "International payments",
            "Paying abroad in v3.1.11 and v4.0: the currencies and amounts, each exchange-rate type with a worked curl example, charges and who bears them, the ledger postings and every error."),
        new("fx", "The FX desk",
            "Your sandbox bank's exchange rates (how they move on the test clock, spreads), booking FX contracts for Agreed rates through the sandbox API or the Portal, and the charges tariff."),
        new("screening", "Cross-border screening",
            "How the sandbox bank screens payments abroad: payee identifiers per scheme (IBAN, BIC, sort code, IFSC, ABA), the sanctions sample and its fuzzy threshold, embargoed and high-risk countries, and every scenario trigger."),
        new("events", "Event notifications",
            "Know at once when a payment or consent changes: event subscriptions, signed SETs to your callback, verifying them in C#, polling with curl and jq, and the Portal's delivery log, test events, replay and endpoint check."),
        new("message-signing", "Message signing",
            "Signing payment, VRP and event-subscription requests (x-jws-signature, PS256, detached): the header, the signing input, your keys, the bank's response signatures and every refusal rule."),
        new("dpop", "DPoP",
            "Sender-constrained tokens (RFC 9449): DPoP proofs at the token endpoint and the gateway, nonces, refresh tokens and every refusal rule."),
        new("gateway", "The gateway",
            "What the gateway enforces on every route (tokens, scopes, consents, rate limits, headers) and what its call log records."),
        new("spec-lint", "Spec lint, refusal reasons and simulated faults",
            "Every sandbox call checked against the OBIE specification of its version (headers, schemas, formats, enums, lengths) off the request path, why each refusal happened, and x-sandbox-simulate for 429, 500 and 503 on purpose."),
        new("consent-inspector", "The consent inspector",
            "One consent's life on one screen: search by consent id, customer or interaction id; creation, the customer's journey, tokens, every call, status changes and events; and why the last call was refused."),
        new("sandbox-customers", "Your own test customers",
            "Creating test customers through /sandbox/v1/customers or the Portal: accounts in any currency, opening balances, a history from a template or an uploaded list, sign-in, validation errors, and resets."),
        new("readiness", "Go-live readiness and production access",
            "The readiness report of each app: the operations it exercised in both versions, the checks a live bank will test (consent refusals, 429 Retry-After, idempotent retries, token refresh, 5xx backoff, signing, DPoP, events) with their evidence, and how a production-access request is decided."),
        new("migrating-to-v4", "Moving from v3.1.11 to v4.0",
            "What changes for a v3.1.11 integration: base path, ISO 20022 status codes, U0xx error codes, structured remittance, risk and address fields, and which consents work across versions."),
        new("portal", "The Portal",
            "Organisations, team, apps, the API reference and try-it console, the sandbox and payments pages, and how they are tested."),
        new("security", "Security",
            "The OWASP API Security Top 10 and FAPI 2.0 controls the platform enforces, each with the test that proves it."),
        new("benchmarks", "Benchmarks",
            "How fast the sandbox, Identity, the gateway and payments are, measured, with the commands that reproduce each figure."),
    ];

    public static GuideInfo? Find(string? name)
        => All.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));
}

public sealed class GuideOptions
{
    public const string SectionName = "Guides";

    /// <summary>Folder of the Markdown files; relative paths are taken from the application's base directory.</summary>
    public string DocsDirectory { get; set; } = "docs";
}

/// <summary>One section of a guide as search finds it: a heading, its anchor and the text under it.</summary>
public sealed record GuideSection(GuideInfo Guide, string Heading, string Anchor, int Level, string Text)
{
    public string Href => $"/guides/{Guide.Name}#{Anchor}";

    /// <summary>About <paramref name="length"/> characters of the section's text around the first term found in it.</summary>
    public string Snippet(string query, int length = 160)
    {
        var start = query.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(term => Text.IndexOf(term, StringComparison.OrdinalIgnoreCase))
            .Where(i => i >= 0)
            .DefaultIfEmpty(0)
            .Min();
        start = Math.Max(0, start - length / 3);
        var end = Math.Min(Text.Length, start + length);
        return (start > 0 ? "…" : "") + Text[start..end].Trim() + (end < Text.Length ? "…" : "");
    }
}

/// <summary>
/// The guides, each read and rendered once on first use and shared by every circuit (the files never change while
/// the Portal runs). A file missing from the deployment is reported on its page, not at start-up.
/// </summary>
public sealed class GuideLibrary(IOptions<GuideOptions> options)
{
    private readonly ConcurrentDictionary<string, Lazy<GuideDocument>> _documents = new(StringComparer.OrdinalIgnoreCase);

    public string DocsDirectory => Path.GetFullPath(options.Value.DocsDirectory, AppContext.BaseDirectory);

    /// <exception cref="FileNotFoundException">The guide's file is not deployed.</exception>
    public GuideDocument Get(GuideInfo guide)
        => _documents.GetOrAdd(guide.Name, _ => new Lazy<GuideDocument>(
            () => GuideRenderer.Render(guide, File.ReadAllText(Path.Combine(DocsDirectory, guide.Name + ".md"))),
            LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>Sections whose heading or text holds every term of the query; heading matches first.</summary>
    public IReadOnlyList<GuideSection> Search(string query, int limit = 20)
    {
        var terms = query.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (terms.Length == 0)
        {
            return [];
        }

        return GuideInfo.All
            .SelectMany(Sections)
            .Select(s => (Section: s, InHeading: terms.All(t => s.Heading.Contains(t, StringComparison.OrdinalIgnoreCase))))
            .Where(m => m.InHeading || terms.All(t => m.Section.Heading.Contains(t, StringComparison.OrdinalIgnoreCase)
                                                     || m.Section.Text.Contains(t, StringComparison.OrdinalIgnoreCase)))
            .OrderByDescending(m => m.InHeading)
            .Select(m => m.Section)
            .Take(limit)
            .ToList();
    }

    // A guide missing from a deployment drops out of search instead of failing it.
    private IEnumerable<GuideSection> Sections(GuideInfo guide)
        => File.Exists(Path.Combine(DocsDirectory, guide.Name + ".md")) ? Get(guide).Sections : [];
}
