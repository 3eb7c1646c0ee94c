using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Payments;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Payments.International;
using OpenBanking.Sandbox.Payments.Vrp;

internal static class BenchTokens
{
    public static string Create(SecurityKey key, string clientId, string organisationId, string scope, string? consentId, TimeSpan? lifetime = null, string audience = "open-banking-api")
    {
        var claims = new Dictionary<string, object> { ["sub"] = clientId, ["client_id"] = clientId, ["org_id"] = organisationId, ["scope"] = scope };
        if (consentId is not null)
        {
            claims["consent_id"] = consentId;
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = BenchFactory.Issuer,
            Audience = audience,
            Claims = claims,
            Expires = DateTime.UtcNow + (lifetime ?? TimeSpan.FromMinutes(5)),
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }
}

/// <summary>
/// Domestic payments through the real Sandbox on Kestrel (SQLite, Production, settlement worker on): each request
/// is a new payment under its own authorised consent, with its own idempotency key and customer token, risk-screened
/// and posted to the ledger. Payers are spread over the tenants' ~1,000 accounts, as real traffic would be, so the
/// velocity rules fire as they would for real customers (rarely) rather than for one account paying 300 times a second.
/// </summary>
internal static class PaymentsBench
{
    private const string Tenants = "bench-pay-";
    private const int TenantCount = 5;

    /// <param name="vrp">
    /// Domestic VRP instead: one authorised VRP consent per paying account (limits far above what the run pays), each
    /// payment a POST /domestic-vrps under its payer's consent — so it goes through the same pipeline plus the
    /// control-parameter check, its per-consent lock and the period sums.
    /// </param>
    /// <param name="kind">
    /// "domestic" (default), "vrp" (above) or "international": one authorised international payment consent per
    /// payment, each account paying a DE IBAN abroad (GBP → EUR, EUR → USD, USD → EUR) at an Indicative rate, so each
    /// payment also quotes the desk, prices the charges (BorneByDebtor), screens the payee and posts in two currencies.
    /// </param>
    public static async Task<int> Serve(string file, int count, ApiVersion version = ApiVersion.V3_1_11, string kind = "domestic")
    {
        var vrp = kind == "vrp";
        var international = kind == "international";
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "bench" };
        var directory = BenchFactory.PrepareDirectory();
        // About eight payments per paying account (each customer has about one): the velocity rules (10 in ten minutes,
        // 30 an hour) then fire as rarely as for real customers, however long the run.
        var customers = Math.Max(200, count / (TenantCount * 8));
        var factory = new BenchFactory(directory, key, new Dictionary<string, string>
        {
            ["Sandbox:Generator:GeneratedCustomers"] = customers.ToString(CultureInfo.InvariantCulture),
            ["Sandbox:Generator:GeneratedHistoryMonths"] = "3",
        });
        factory.UseKestrel(0);
        factory.StartServer();
        var baseUrl = factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        Console.WriteLine($"Sandbox on {baseUrl}; generating {TenantCount} tenants of {customers:N0} customers and {count:N0} authorised payment consents…");
        var stopwatch = Stopwatch.StartNew();

        var internalToken = BenchTokens.Create(key, "identity-service", "platform", "sandbox.internal", null, TimeSpan.FromHours(2), audience: "sandbox");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16 }) { BaseAddress = new Uri(baseUrl) };

        // Every non-card account of every tenant pays another account of its currency in the same bank (an internal
        // transfer: the payee is credited at settlement).
        var payers = new List<(Guid TenantId, string Org, string CustomerId, string AccountId, string Currency, string PayeeScheme, string PayeeIdentification, string PayeeName)>();
        for (var t = 1; t <= TenantCount; t++)
        {
            var org = Tenants + t;
            // The first request of an organisation generates its bank.
            await GetAsync<JsonElement[]>(http, internalToken, $"/internal/tenants/{org}/customers");
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
            var tenant = await db.Tenants.SingleAsync(x => x.OrganisationId == org);
            var accounts = await db.Accounts.AsNoTracking().Where(a => a.TenantId == tenant.Id && a.SchemeName != "UK.OBIE.PAN")
                .OrderBy(a => a.CustomerId).ThenBy(a => a.Id).ToListAsync();
            for (var i = 0; i < accounts.Count; i++)
            {
                var account = accounts[i];
                var payee = accounts.Skip(i + 1).Concat(accounts.Take(i)).FirstOrDefault(a => a.Currency == account.Currency);
                if (payee is not null)
                {
                    payers.Add((tenant.Id, org, account.CustomerId, account.Id, account.Currency, payee.SchemeName, payee.Identification, payee.Name));
                }
            }
        }

        Console.WriteLine($"{payers.Count:N0} paying accounts in {stopwatch.Elapsed.TotalSeconds:N1} s");

        // The consents are made as the API makes them (the v3.1 request parsed and mapped) and stored as the customer's
        // authorisation leaves them, straight into the database: they are the benchmark's set-up, not what it measures.
        var prepared = new List<object>(count);
        var random = new Random(7);
        var vrpConsents = new Dictionary<int, string>();
        const string risk = "{\"PaymentContextCode\":\"TransferToThirdParty\"}";
        for (var batch = 0; batch < count; batch += 2_000)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
            for (var index = batch; index < Math.Min(count, batch + 2_000); index++)
            {
                var payer = payers[index % payers.Count];
                var pence = 100 + random.Next(0, 400);
                if (vrp)
                {
                    prepared.Add(VrpPayment(db, key, version, payer.TenantId, payer.Org, payer.CustomerId, payer.AccountId, payer.Currency,
                        $"{{\"SchemeName\":\"{payer.PayeeScheme}\",\"Identification\":\"{payer.PayeeIdentification}\",\"Name\":\"{payer.PayeeName}\"}}",
                        index, pence, vrpConsents, index % payers.Count));
                    continue;
                }

                if (international)
                {
                    prepared.Add(InternationalPayment(db, key, version, payer.TenantId, payer.Org, payer.CustomerId, payer.AccountId, payer.Currency, index, pence));
                    continue;
                }

                var initiation = "{\"InstructionIdentification\":\"bench-" + index.ToString(CultureInfo.InvariantCulture) + "\",\"EndToEndIdentification\":\"bench\","
                    + $"\"LocalInstrument\":\"UK.OBIE.FPS\",\"InstructedAmount\":{{\"Amount\":\"{pence / 100}.{pence % 100:D2}\",\"Currency\":\"{payer.Currency}\"}},"
                    + $"\"CreditorAccount\":{{\"SchemeName\":\"{payer.PayeeScheme}\",\"Identification\":\"{payer.PayeeIdentification}\",\"Name\":\"{payer.PayeeName}\"}},"
                    + (version == ApiVersion.V4_0 ? "\"RemittanceInformation\":{\"Unstructured\":[\"BENCH\"]}}" : "\"RemittanceInformation\":{\"Reference\":\"BENCH\"}}");
                using var body = JsonDocument.Parse("{\"Data\":{\"Initiation\":" + initiation + "},\"Risk\":" + risk + "}");
                var terms = version == ApiVersion.V4_0
                    ? OpenBanking.Sandbox.Payments.V4_0.DomesticConsentRequest.Parse(body.RootElement)
                    : OpenBanking.Sandbox.Payments.V3_1.DomesticConsentRequest.Parse(body.RootElement);
                var consent = terms.ToConsent("bench-wallet");
                consent.ApiVersion = version;
                var now = DateTimeOffset.UtcNow;
                consent.TenantId = payer.TenantId;
                consent.Status = PaymentConsentStatus.Authorised;
                consent.CreationDateTime = consent.StatusUpdateDateTime = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
                consent.CustomerId = payer.CustomerId;
                consent.DebtorAccountId = payer.AccountId;
                consent.Version = 1;
                db.DomesticPaymentConsents.Add(consent);
                prepared.Add(new
                {
                    index,
                    token = BenchTokens.Create(key, "bench-wallet", payer.Org, "payments", consent.Id, TimeSpan.FromHours(2)),
                    body = "{\"Data\":{\"ConsentId\":\"" + consent.Id + "\",\"Initiation\":" + initiation + "},\"Risk\":" + risk + "}",
                });
            }

            await db.SaveChangesAsync();
        }

        await File.WriteAllTextAsync(file + ".tmp", JsonSerializer.Serialize(new
        {
            url = baseUrl,
            basePath = version.BasePath(),
            collection = vrp ? "domestic-vrps" : international ? "international-payments" : "domestic-payments",
            idProperty = vrp ? "DomesticVRPId" : international ? "InternationalPaymentId" : "DomesticPaymentId",
            internalToken,
            payments = prepared,
        }));
        File.Move(file + ".tmp", file);
        Console.WriteLine($"ready: {count:N0} consents in {stopwatch.Elapsed.TotalSeconds:N1} s");

        // Until SIGTERM/SIGINT: the host's console lifetime turns them into ApplicationStopping; then stop and exit (an
        // endless delay would keep the process alive after the host has stopped).
        var lifetime = factory.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>();
        try
        {
            await Task.Delay(Timeout.Infinite, lifetime.ApplicationStopping);
        }
        catch (OperationCanceledException)
        {
        }

        await factory.DisposeAsync();
        Directory.Delete(directory, recursive: true);
        return 0;
    }

    public static async Task<int> Load(string file, int rate, int seconds, int? serverPid = null)
    {
        var target = JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement;
        var url = target.GetProperty("url").GetString()!;
        var internalToken = target.GetProperty("internalToken").GetString()!;
        var submitPath = target.GetProperty("basePath").GetString() + "/pisp/" + target.GetProperty("collection").GetString();
        var idProperty = target.GetProperty("idProperty").GetString()!;
        var payments = target.GetProperty("payments").EnumerateArray()
            .Select(p => (Token: p.GetProperty("token").GetString()!, Body: p.GetProperty("body").GetString()!)).ToList();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(url) };

        // 1,000 payments first, unmeasured: the consents no longer come through the API, so these are what brings the
        // server's code to its optimised (tier-1) JIT before the measured window, as 6,300 consent requests used to.
        var warmUp = Math.Min(1_000, payments.Count / 5);
        var total = Math.Min(rate * seconds, payments.Count - warmUp);
        var keys = new string[payments.Count];
        var ids = new string?[payments.Count];
        var statuses = new ConcurrentDictionary<string, int>();
        var failures = 0;

        async Task<(HttpStatusCode, string)> Submit(int index)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, submitPath)
            {
                Content = new StringContent(payments[index].Body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new("Bearer", payments[index].Token);
            request.Headers.Add("x-idempotency-key", keys[index] ??= Guid.NewGuid().ToString("N"));
            using var response = await client.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }

        for (var i = 0; i < warmUp; i++)
        {
            await Submit(payments.Count - 1 - i);
        }

        // The server's CPU from here on (after the warm-up): the load, the repeats, settlement and the ledger check.
        var serverCpu = ServerCpuSeconds(serverPid);
        var latencies = new double[total];
        var tasks = new List<Task>(total);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
            while (Stopwatch.GetTimestamp() < due)
            {
                await Task.Delay(1);
            }

            var index = i;
            tasks.Add(Task.Run(async () =>
            {
                var began = Stopwatch.GetTimestamp();
                var (status, text) = await Submit(index);
                latencies[index] = Stopwatch.GetElapsedTime(Math.Min(due, began)).TotalMilliseconds;
                if (status != HttpStatusCode.Created)
                {
                    Interlocked.Increment(ref failures);
                    statuses.AddOrUpdate($"HTTP {(int)status}", 1, (_, n) => n + 1);
                    return;
                }

                var data = JsonDocument.Parse(text).RootElement.GetProperty("Data");
                ids[index] = data.GetProperty(idProperty).GetString();
                statuses.AddOrUpdate(data.GetProperty("Status").GetString()!, 1, (_, n) => n + 1);
            }));
        }

        await Task.WhenAll(tasks);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Array.Sort(latencies);
        double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];
        Console.WriteLine($"{total:N0} payments offered at {rate}/s over {elapsed:N1} s: {total / elapsed:N0}/s completed, {failures} not 201");
        Console.WriteLine($"outcomes: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value:N0}"))}");
        Console.WriteLine($"latency ms: p50 {P(0.50):N1}  p90 {P(0.90):N1}  p95 {P(0.95):N1}  p99 {P(0.99):N1}  max {latencies[^1]:N1}");
        Console.WriteLine($"load generator CPU: {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:N1} s");

        // Idempotency under the same load's data: 200 repeats must answer the original payment and create nothing.
        var replayed = 0;
        for (var i = 0; i < Math.Min(200, total); i++)
        {
            var index = i * (total / Math.Min(200, total));
            var (status, text) = await Submit(index);
            if (status == HttpStatusCode.Created && JsonDocument.Parse(text).RootElement.GetProperty("Data").GetProperty(idProperty).GetString() == ids[index])
            {
                replayed++;
            }
        }

        Console.WriteLine($"idempotent repeats answered with the original payment: {replayed}/{Math.Min(200, total)}");

        // Let the settlement worker finish (Pending → InProcess → Completed takes ~5 s), then check the ledger.
        await Task.Delay(TimeSpan.FromSeconds(12));
        using var check = new HttpRequestMessage(HttpMethod.Get, "/internal/ledger/check");
        check.Headers.Authorization = new("Bearer", internalToken);
        using var checkResponse = await client.SendAsync(check);
        var result = JsonDocument.Parse(await checkResponse.Content.ReadAsStringAsync()).RootElement;
        Console.WriteLine($"ledger check: {(checkResponse.StatusCode == HttpStatusCode.OK ? "holds" : "FAILS")} — {result.GetProperty("Entries").GetInt32():N0} entries, "
            + $"{result.GetProperty("Accounts").GetInt32():N0} accounts, sums by currency {result.GetProperty("SumByCurrency")}");
        if (checkResponse.StatusCode != HttpStatusCode.OK)
        {
            Console.WriteLine(string.Join("\n", result.GetProperty("Problems").EnumerateArray().Take(20)));
        }

        if (serverPid is not null)
        {
            var used = ServerCpuSeconds(serverPid) - serverCpu;
            Console.WriteLine($"server CPU after the warm-up: {used:N1} core-seconds, {used * 1000 / total:N2} ms per payment");
        }

        return failures == 0 && checkResponse.StatusCode == HttpStatusCode.OK && replayed == Math.Min(200, total) ? 0 : 1;
    }

    /// <summary>A VRP payment of a payer, under the payer's one VRP consent (made, authorised, on its first payment).</summary>
    private static object VrpPayment(SandboxDbContext db, SecurityKey key, ApiVersion version, Guid tenantId, string org, string customerId, string accountId,
        string currency, string payee, int index, int pence, Dictionary<int, string> consents, int payerIndex)
    {
        var wire = version == ApiVersion.V4_0 ? (IVrpWire)OpenBanking.Sandbox.Payments.Vrp.V4_0.VrpWire.Instance : OpenBanking.Sandbox.Payments.Vrp.V3_1.VrpWire.Instance;
        const string risk = "{\"PaymentContextCode\":\"TransferToThirdParty\"}";
        var initiation = "{\"CreditorAccount\":" + payee + "}";
        if (!consents.TryGetValue(payerIndex, out var consentId))
        {
            var controls = "{\"VRPType\":[\"UK.OBIE.VRPType.Other\"],\"PSUAuthenticationMethods\":[\"UK.OBIE.SCANotRequired\"],"
                + $"\"MaximumIndividualAmount\":{{\"Amount\":\"10.00\",\"Currency\":\"{currency}\"}},\"PeriodicLimits\":["
                + $"{{\"PeriodType\":\"Day\",\"PeriodAlignment\":\"Calendar\",\"Amount\":\"10000.00\",\"Currency\":\"{currency}\"}},"
                + $"{{\"PeriodType\":\"Month\",\"PeriodAlignment\":\"Consent\",\"Amount\":\"100000.00\",\"Currency\":\"{currency}\"}}]}}";
            using var body = JsonDocument.Parse("{\"Data\":{\"ControlParameters\":" + controls + ",\"Initiation\":" + initiation + "},\"Risk\":" + risk + "}");
            var now = DateTimeOffset.UtcNow;
            var consent = VrpRequests.ParseConsent(body.RootElement, wire, now);
            consent.TenantId = tenantId;
            consent.ClientId = "bench-wallet";
            consent.ApiVersion = version;
            consent.Status = ConsentStatus.Authorised;
            consent.CreationDateTime = consent.StatusUpdateDateTime = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            consent.CustomerId = customerId;
            consent.DebtorAccountId = accountId;
            consent.Version = 1;
            db.DomesticVrpConsents.Add(consent);
            consents[payerIndex] = consentId = consent.Id;
        }

        var remittance = version == ApiVersion.V4_0 ? "{\"Unstructured\":[\"BENCH\"]}" : "{\"Reference\":\"BENCH\"}";
        var instruction = "{\"InstructionIdentification\":\"bench-" + index.ToString(CultureInfo.InvariantCulture) + "\",\"EndToEndIdentification\":\"bench\","
            + $"\"LocalInstrument\":\"UK.OBIE.FPS\",\"RemittanceInformation\":{remittance},"
            + $"\"InstructedAmount\":{{\"Amount\":\"{pence / 100}.{pence % 100:D2}\",\"Currency\":\"{currency}\"}},\"CreditorAccount\":{payee}}}";
        return new
        {
            index,
            token = BenchTokens.Create(key, "bench-wallet", org, "payments", consentId, TimeSpan.FromHours(2)),
            body = "{\"Data\":{\"ConsentId\":\"" + consentId + "\",\"PSUAuthenticationMethod\":\"UK.OBIE.SCANotRequired\",\"VRPType\":\"UK.OBIE.VRPType.Other\","
                + "\"Initiation\":" + initiation + ",\"Instruction\":" + instruction + "},\"Risk\":" + risk + "}",
        };
    }

    /// <summary>An international payment of a payer to an IBAN abroad, under a consent of its own (parsed as the API parses it, stored authorised).</summary>
    private static object InternationalPayment(SandboxDbContext db, SecurityKey key, ApiVersion version, Guid tenantId, string org, string customerId,
        string accountId, string currency, int index, int pence)
    {
        var wire = version == ApiVersion.V4_0
            ? (IInternationalWire)OpenBanking.Sandbox.Payments.International.V4_0.InternationalWire.Instance
            : OpenBanking.Sandbox.Payments.International.V3_1.InternationalWire.Instance;
        const string risk = "{\"PaymentContextCode\":\"TransferToThirdParty\"}";
        var transfer = currency == "EUR" ? "USD" : "EUR";
        var remittance = version == ApiVersion.V4_0 ? "{\"Unstructured\":[\"BENCH\"]}" : "{\"Reference\":\"BENCH\"}";
        var initiation = "{\"InstructionIdentification\":\"bench-" + index.ToString(CultureInfo.InvariantCulture) + "\",\"EndToEndIdentification\":\"bench\","
            + "\"LocalInstrument\":\"UK.OBIE.SWIFT\",\"ChargeBearer\":\"BorneByDebtor\",\"CurrencyOfTransfer\":\"" + transfer + "\",\"DestinationCountryCode\":\"DE\","
            + $"\"InstructedAmount\":{{\"Amount\":\"{pence / 100}.{pence % 100:D2}\",\"Currency\":\"{transfer}\"}},"
            + $"\"ExchangeRateInformation\":{{\"UnitCurrency\":\"{currency}\",\"RateType\":\"Indicative\"}},"
            + "\"Creditor\":{\"Name\":\"Hans Muller\",\"PostalAddress\":{\"TownName\":\"Berlin\",\"Country\":\"DE\"}},"
            + "\"CreditorAgent\":{\"SchemeName\":\"UK.OBIE.BICFI\",\"Identification\":\"COBADEFFXXX\"},"
            + "\"CreditorAccount\":{\"SchemeName\":\"UK.OBIE.IBAN\",\"Identification\":\"DE89370400440532013000\",\"Name\":\"Hans Muller\"},"
            + $"\"RemittanceInformation\":{remittance}}}";
        using var body = JsonDocument.Parse("{\"Data\":{\"Initiation\":" + initiation + "},\"Risk\":" + risk + "}");
        var request = InternationalRequests.ParseConsent(body.RootElement, wire, BenchDesk.Instance);
        var now = DateTimeOffset.UtcNow;
        var consent = InternationalService.ToConsent(request, tenantId, "bench-wallet", version,
            new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero), currency, request.ExchangeRate);
        consent.Status = PaymentConsentStatus.Authorised;
        consent.CustomerId = customerId;
        consent.DebtorAccountId = accountId;
        consent.Version = 1;
        db.InternationalPaymentConsents.Add(consent);
        return new
        {
            index,
            token = BenchTokens.Create(key, "bench-wallet", org, "payments", consent.Id, TimeSpan.FromHours(2)),
            body = "{\"Data\":{\"ConsentId\":\"" + consent.Id + "\",\"Initiation\":" + initiation + "},\"Risk\":" + risk + "}",
        };
    }

    /// <summary>Only what parsing asks of a desk (which currencies it trades): the prepared consents are not priced.</summary>
    private sealed class BenchDesk : OpenBanking.Sandbox.Fx.IFxDesk
    {
        public static readonly BenchDesk Instance = new();

        public IReadOnlyList<string> Currencies { get; } = ["GBP", "EUR", "USD"];

        public bool Trades(string currency) => Currencies.Contains(currency);

        public ValueTask<OpenBanking.Sandbox.Fx.FxQuote> QuoteAsync(Guid tenantId, string unitCurrency, string transferCurrency, DateTimeOffset at, CancellationToken ct)
            => throw new NotSupportedException();
    }

    /// <summary>User and system CPU of a process, from /proc (clock ticks of 1/100 s).</summary>
    private static double ServerCpuSeconds(int? pid)
    {
        if (pid is null)
        {
            return 0;
        }

        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the command name.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static async Task<T> GetAsync<T>(HttpClient http, string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new("Bearer", token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }
}
