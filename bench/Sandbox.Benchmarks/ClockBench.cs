using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Payments;

/// <summary>
/// Advancing a busy tenant's test clock a year (issue 16): standing orders of every common frequency and scheduled
/// payments spread over the year, all made through the real APIs (consent, the customer's authorisation, the order),
/// then one <c>POST /sandbox/v1/clock {"Advance":"P1Y"}</c> timed. Reports the instalments and payments executed,
/// the postings, the instants the clock stopped at, and the ledger check.
/// </summary>
internal static class ClockBench
{
    private const string Org = "bench-clock";

    public static async Task<int> Run(int daily, int weekly, int monthly, int scheduled)
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "bench" };
        var directory = BenchFactory.PrepareDirectory();
        await using var factory = new BenchFactory(directory, key, new Dictionary<string, string>
        {
            ["Sandbox:Generator:GeneratedCustomers"] = "200",
            ["Sandbox:Generator:GeneratedHistoryMonths"] = "3",
        });
        using var http = factory.CreateClient();
        var internalToken = BenchTokens.Create(key, "identity-service", "platform", "sandbox.internal", null, TimeSpan.FromHours(2), audience: "sandbox");
        var appToken = BenchTokens.Create(key, "bench-wallet", Org, "payments", null, TimeSpan.FromHours(2));

        // The first request of the organisation generates its bank; then its clock is frozen so set-up takes no time off it.
        await SendAsync(http, internalToken, HttpMethod.Get, $"/internal/tenants/{Org}/customers", null);
        var clock = await SendAsync(http, appToken, HttpMethod.Post, "/sandbox/v1/clock", """{"Freeze": true}""");
        var now = DateTimeOffset.Parse(clock.GetProperty("Now").GetString()!, CultureInfo.InvariantCulture);

        List<(string CustomerId, string AccountId, string Name)> payers;
        (string Scheme, string Identification, string Name) payee;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
            var tenant = await db.Tenants.SingleAsync(t => t.OrganisationId == Org);
            var accounts = await db.Accounts.AsNoTracking()
                .Where(a => a.TenantId == tenant.Id && a.Currency == "GBP" && a.SchemeName != "UK.OBIE.PAN")
                .OrderByDescending(a => a.BookedBalanceMinor).ToListAsync();
            payers = accounts.Skip(1).Take(60).Select(a => (a.CustomerId, a.Id, a.Name)).ToList();
            payee = (accounts[0].SchemeName, accounts[0].Identification, accounts[0].Name);
        }

        var stopwatch = Stopwatch.StartNew();
        var made = 0;
        var first = now.AddDays(1).ToString("yyyy-MM-dd'T'09:00:00+00:00", CultureInfo.InvariantCulture);
        foreach (var (frequency, count) in new[] { ("EvryDay", daily), ("IntrvlWkDay:01:03", weekly), ("IntrvlMnthDay:01:01", monthly) })
        {
            for (var i = 0; i < count; i++, made++)
            {
                var payer = payers[made % payers.Count];
                var initiation = "{\"Frequency\":\"" + frequency + "\",\"Reference\":\"BENCH-" + made.ToString(CultureInfo.InvariantCulture) + "\","
                    + "\"FirstPaymentDateTime\":\"" + (frequency == "IntrvlMnthDay:01:01" ? now.AddMonths(1).ToString("yyyy-MM-01'T'09:00:00+00:00", CultureInfo.InvariantCulture) : first) + "\","
                    + "\"FirstPaymentAmount\":{\"Amount\":\"0.25\",\"Currency\":\"GBP\"},"
                    + $"\"CreditorAccount\":{{\"SchemeName\":\"{payee.Scheme}\",\"Identification\":\"{payee.Identification}\",\"Name\":\"{payee.Name}\"}}}}";
                await OrderAsync(http, appToken, key, "domestic-standing-order-consents", "domestic-standing-orders", initiation, payer.CustomerId, payer.AccountId, internalToken);
            }
        }

        for (var i = 0; i < scheduled; i++, made++)
        {
            var payer = payers[made % payers.Count];
            var at = now.AddDays(1 + (i * 364 / Math.Max(1, scheduled))).ToString("yyyy-MM-dd'T'12:00:00+00:00", CultureInfo.InvariantCulture);
            var initiation = "{\"InstructionIdentification\":\"bench-" + i.ToString(CultureInfo.InvariantCulture) + "\",\"EndToEndIdentification\":\"bench\","
                + "\"RequestedExecutionDateTime\":\"" + at + "\",\"InstructedAmount\":{\"Amount\":\"1.00\",\"Currency\":\"GBP\"},"
                + $"\"CreditorAccount\":{{\"SchemeName\":\"{payee.Scheme}\",\"Identification\":\"{payee.Identification}\",\"Name\":\"{payee.Name}\"}}}}";
            await OrderAsync(http, appToken, key, "domestic-scheduled-payment-consents", "domestic-scheduled-payments", initiation, payer.CustomerId, payer.AccountId, internalToken);
        }

        Console.WriteLine($"set-up: {daily} daily, {weekly} weekly and {monthly} monthly standing orders and {scheduled} scheduled payments "
            + $"from {payers.Count} payers, made through the APIs in {stopwatch.Elapsed.TotalSeconds:N1} s");

        stopwatch.Restart();
        var moved = await SendAsync(http, appToken, HttpMethod.Post, "/sandbox/v1/clock", """{"Advance": "P1Y"}""");
        var elapsed = stopwatch.Elapsed;

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
            var tenant = await db.Tenants.SingleAsync(t => t.OrganisationId == Org);
            var executions = await db.DomesticPayments.AsNoTracking().Where(p => p.TenantId == tenant.Id && p.Kind != PaymentKind.Domestic)
                .GroupBy(p => new { p.Kind, p.Status }).Select(g => new { g.Key.Kind, g.Key.Status, Count = g.Count() }).ToListAsync();
            var entries = await db.LedgerEntries.CountAsync(e => e.TenantId == tenant.Id);
            Console.WriteLine($"POST /sandbox/v1/clock {{\"Advance\":\"P1Y\"}}: {elapsed.TotalSeconds:N2} s; the clock now reads {moved.GetProperty("Now").GetString()}; "
                + $"{moved.GetProperty("Ran").GetInt32():N0} things done on the way");
            foreach (var group in executions.OrderBy(e => e.Kind).ThenBy(e => e.Status))
            {
                Console.WriteLine($"  {group.Kind,-14} {group.Status,-30} {group.Count,8:N0}");
            }

            Console.WriteLine($"  ledger entries of the tenant: {entries:N0}");
        }

        var check = await SendAsync(http, internalToken, HttpMethod.Get, $"/internal/tenants/{Org}/ledger/check", null);
        Console.WriteLine($"ledger check: {check}");
        return elapsed < TimeSpan.FromSeconds(5) ? 0 : 1;
    }

    private static async Task OrderAsync(HttpClient http, string appToken, SecurityKey key, string consents, string orders, string initiation,
        string customerId, string accountId, string internalToken)
    {
        const string Risk = "{\"PaymentContextCode\":\"PartyToParty\"}";
        var consent = await SendAsync(http, appToken, HttpMethod.Post, $"/open-banking/v3.1/pisp/{consents}",
            "{\"Data\":{\"Permission\":\"Create\",\"Initiation\":" + initiation + "},\"Risk\":" + Risk + "}");
        var consentId = consent.GetProperty("Data").GetProperty("ConsentId").GetString()!;
        await SendAsync(http, internalToken, HttpMethod.Post, $"/internal/consents/{consentId}/authorise",
            JsonSerializer.Serialize(new { customerId, accountIds = new[] { accountId } }));
        var customerToken = BenchTokens.Create(key, "bench-wallet", Org, "payments", consentId, TimeSpan.FromHours(2));
        await SendAsync(http, customerToken, HttpMethod.Post, $"/open-banking/v3.1/pisp/{orders}",
            "{\"Data\":{\"ConsentId\":\"" + consentId + "\",\"Initiation\":" + initiation + "},\"Risk\":" + Risk + "}");
    }

    private static async Task<JsonElement> SendAsync(HttpClient http, string token, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.TryAddWithoutValidation("x-idempotency-key", Guid.NewGuid().ToString("N"));
        request.Headers.TryAddWithoutValidation("x-fapi-interaction-id", Guid.NewGuid().ToString());
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.NoContent))
        {
            throw new InvalidOperationException($"{method} {path} → {(int)response.StatusCode}: {text}");
        }

        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
