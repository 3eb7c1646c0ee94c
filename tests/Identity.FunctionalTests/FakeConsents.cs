using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>
/// The Sandbox's internal consent API (<c>InternalConsentsApi</c>: get, authorise, reject, revoke, the customer's
/// list and consent history) for consents a test adds here — the scheduled-payment, standing-order, VRP and international kinds, whose
/// Sandbox side is built elsewhere. Everything else (customers, accounts, other consents) is the real Sandbox's; a customer's list is
/// the real one with the fakes they authorised added. The summaries have the shape of <c>ConsentSummary</c>.
/// </summary>
public sealed partial class FakeConsents
{
    private readonly ConcurrentDictionary<string, JsonObject> _consents = new();

    /// <summary>Revocations asked of the fakes, by consent id.</summary>
    public ConcurrentBag<string> Revoked { get; } = [];

    /// <summary>A new consent awaiting authorisation, of the demo wallet in the demo organisation.</summary>
    /// <param name="payeeCheck">Confirmation of Payee's answer as the Sandbox's summary carries it (<c>PayeeCheck</c>), if any.</param>
    public string Add(string kind, string prefix, IReadOnlyList<string> terms, string? creditorName = "Jane Smith", string? reference = "RENT",
        JsonObject? payeeCheck = null)
    {
        var id = prefix + Guid.NewGuid().ToString("N");
        var consent = new JsonObject
        {
            ["consentId"] = id,
            ["kind"] = kind,
            ["apiVersion"] = "v4.0",
            ["clientId"] = "demo-wallet",
            ["organisationId"] = Shared.DevelopmentSeed.DemoOrganisationId,
            ["status"] = "AwaitingAuthorisation",
            ["permissions"] = new JsonArray(),
            ["creationDateTime"] = DateTimeOffset.UtcNow.ToString("O"),
            ["accountIds"] = new JsonArray(),
            ["currency"] = "GBP",
            ["terms"] = new JsonArray([.. terms.Select(t => (JsonNode)JsonValue.Create(t)!)]),
        };
        if (creditorName is not null)
        {
            consent["payment"] = new JsonObject
            {
                ["amount"] = "25.00",
                ["currency"] = "GBP",
                ["creditorName"] = creditorName,
                ["creditorSchemeName"] = "UK.OBIE.SortCodeAccountNumber",
                ["creditorIdentification"] = "20000012345678",
                ["reference"] = reference,
                ["debtorAccountNamed"] = false,
                ["payeeCheck"] = payeeCheck,
            };
        }

        _consents[id] = consent;
        return id;
    }

    /// <summary>
    /// A new international payment consent (<c>ipc-</c>) as the Sandbox's <c>InternationalPaymentJourney</c> summarises
    /// it: the amount as instructed, the debtor currency when known (else null: any account of a desk currency), and the
    /// plain-words terms of what is sent, paid, at which rate, with which fees.
    /// </summary>
    public string AddInternational(IReadOnlyList<string> terms, string amount, string currency, string? debtorCurrency, string creditorName = "Hans Müller", string iban = "DE89370400440532013000")
    {
        var id = Add("international-payment", "ipc-", terms, creditorName, reference: "INVOICE 42");
        var consent = _consents[id];
        consent["currency"] = debtorCurrency;
        consent["payment"]!["amount"] = amount;
        consent["payment"]!["currency"] = currency;
        consent["payment"]!["creditorSchemeName"] = "UK.OBIE.IBAN";
        consent["payment"]!["creditorIdentification"] = iban;
        return id;
    }

    public string StatusOf(string consentId) => _consents[consentId]["status"]!.GetValue<string>();

    internal async Task<HttpResponseMessage?> AnswerAsync(HttpRequestMessage request, Func<Task<HttpResponseMessage>> real, CancellationToken ct)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (ConsentPath().Match(path) is { Success: true } one && _consents.TryGetValue(Uri.UnescapeDataString(one.Groups["id"].Value), out var consent))
        {
            var body = request.Content is null ? null : JsonNode.Parse(await request.Content.ReadAsStringAsync(ct))?.AsObject();
            lock (consent)
            {
                switch (one.Groups["action"].Value)
                {
                    case "authorise":
                        consent["status"] = "Authorised";
                        consent["customerId"] = body?["customerId"]?.GetValue<string>();
                        consent["accountIds"] = body?["accountIds"]?.DeepClone() ?? new JsonArray();
                        break;
                    case "reject":
                        consent["status"] = "Rejected";
                        break;
                    case "revoke":
                        consent["status"] = "Revoked";
                        consent["accessRevokedAt"] = DateTimeOffset.UtcNow.ToString("O");
                        Revoked.Add(one.Groups["id"].Value);
                        break;
                }

                return Json(consent.ToJsonString(), request);
            }
        }

        if (request.Method == HttpMethod.Get && CustomerConsentsPath().Match(path) is { Success: true } list)
        {
            var response = await real();
            if (!response.IsSuccessStatusCode)
            {
                return response;
            }

            var consents = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!.AsArray();
            var customerId = Uri.UnescapeDataString(list.Groups["customer"].Value);
            foreach (var fake in _consents.Values)
            {
                lock (fake)
                {
                    if (fake["status"]!.GetValue<string>() == "Authorised" && fake["customerId"]?.GetValue<string>() == customerId)
                    {
                        consents.Insert(0, fake.DeepClone());
                    }
                }
            }

            response.Dispose();
            return Json(consents.ToJsonString(), request);
        }

        if (request.Method == HttpMethod.Get && CustomerHistoryPath().Match(path) is { Success: true } history)
        {
            var response = await real();
            if (!response.IsSuccessStatusCode)
            {
                return response;
            }

            var records = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!.AsArray();
            var customerId = Uri.UnescapeDataString(history.Groups["customer"].Value);
            foreach (var fake in _consents.Values)
            {
                lock (fake)
                {
                    if (fake["customerId"]?.GetValue<string>() == customerId)
                    {
                        // As the Sandbox's ConsentRecord: current while authorised and not withdrawn; no history rows.
                        var current = fake["status"]!.GetValue<string>() == "Authorised" && fake["accessRevokedAt"] is null;
                        records.Insert(0, new JsonObject
                        {
                            ["consent"] = fake.DeepClone(),
                            ["current"] = current,
                            ["statusUpdateDateTime"] = DateTimeOffset.UtcNow.ToString("O"),
                            ["history"] = new JsonArray(),
                        });
                    }
                }
            }

            response.Dispose();
            return Json(records.ToJsonString(), request);
        }

        return null;
    }

    private static HttpResponseMessage Json(string body, HttpRequestMessage request) => new(HttpStatusCode.OK)
    {
        Content = new StringContent(body, Encoding.UTF8, "application/json"),
        RequestMessage = request,
    };

    [GeneratedRegex("^/internal/consents/(?<id>[^/]+)(?:/(?<action>authorise|reject|revoke))?$")]
    private static partial Regex ConsentPath();

    [GeneratedRegex("^/internal/tenants/[^/]+/customers/(?<customer>[^/]+)/consents$")]
    private static partial Regex CustomerConsentsPath();

    [GeneratedRegex("^/internal/tenants/[^/]+/customers/(?<customer>[^/]+)/consent-history$")]
    private static partial Regex CustomerHistoryPath();
}
