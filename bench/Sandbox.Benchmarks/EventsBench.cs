using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.Events;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Payments;

/// <summary>
/// Event notifications to a local receiver (issue 17). The Sandbox runs on Kestrel in Production mode with the real
/// dispatcher and deliverer and their default options; one app subscribes with a callback to a receiver in this process
/// that answers 202 and notes when. Status changes are written as outbox rows straight into the Sandbox's database at
/// the target rate, in the same group-committed transactions payments use (each about one of 2,000 real account-access
/// consents, so per-resource ordering is exercised as it is for real traffic: a resource's next change a few seconds
/// later). Measured per row: from its commit to the receiver's 202 for its SET.
/// Mode "outage": the receiver answers 500 for the first 60 s of the load, then 202; meanwhile the same app makes
/// domestic payments through the API (20 a second). Reports every event delivered or not, duplicates (the same jti
/// answered 202 twice) and the payments made while the receiver failed.
/// </summary>
internal static class EventsBench
{
    private const string Org = "bench-events";
    private const string App = "bench-wallet";
    private const int Resources = 2_000;
    private const int PaymentsPerSecond = 20;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(60);

    public static async Task<int> Run(int rate, int seconds, bool outage)
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "bench" };
        var directory = BenchFactory.PrepareDirectory();
        await using var factory = new BenchFactory(directory, key, new Dictionary<string, string>
        {
            ["Sandbox:Generator:GeneratedCustomers"] = "100",
            ["Sandbox:Generator:GeneratedHistoryMonths"] = "1",
            // The receiver is on this machine's loopback: allowed here only (Production refuses it by default).
            ["Events:AllowLocalCallbacks"] = "true",
        });
        factory.UseKestrel(0);
        factory.StartServer();
        var baseUrl = factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri(baseUrl) };
        var internalToken = BenchTokens.Create(key, "identity-service", "platform", "sandbox.internal", null, TimeSpan.FromHours(2), audience: "sandbox");
        var setupToken = BenchTokens.Create(key, "bench-setup", Org, "accounts", null, TimeSpan.FromHours(2));
        var clock = Stopwatch.StartNew();

        // The receiver: first 202 per jti, how many 202s and 500s each got.
        var loadStarted = long.MaxValue;
        var answered = new ConcurrentDictionary<string, Received>();
        var posts = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var receiver = builder.Build();
        receiver.MapPost("/event-notifications", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var token = await reader.ReadToEndAsync();
            using var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(token.Split('.')[1]));
            var jti = payload.RootElement.GetProperty("jti").GetString()!;
            var txn = payload.RootElement.GetProperty("txn").GetString()!;
            Interlocked.Increment(ref posts);
            var load = Volatile.Read(ref loadStarted);
            var failing = outage && load != long.MaxValue && Stopwatch.GetElapsedTime(load) < Outage;
            var entry = answered.GetOrAdd(jti, _ => new Received(txn));
            if (failing)
            {
                Interlocked.Increment(ref entry.Failed);
                return Results.StatusCode(500);
            }

            if (Interlocked.Increment(ref entry.Accepted) == 1)
            {
                entry.FirstAcceptedAt = Stopwatch.GetTimestamp();
            }

            return Results.StatusCode(202);
        });
        await receiver.StartAsync();
        var callback = receiver.Urls.First();

        // The organisation's bank, 2,000 consents to be the changes' resources (made by another app, unsubscribed), and
        // the app's subscription.
        await SendAsync(http, internalToken, HttpMethod.Get, $"/internal/tenants/{Org}/customers", null);
        var consentIds = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, Resources), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
        {
            var created = await SendAsync(http, setupToken, HttpMethod.Post, "/open-banking/v3.1/aisp/account-access-consents",
                """{"Data":{"Permissions":["ReadAccountsBasic"]},"Risk":{}}""");
            consentIds.Add(created.GetProperty("Data").GetProperty("ConsentId").GetString()!);
        });
        var ids = consentIds.ToArray();
        Guid tenantId;
        List<(string Token, string Body)> payments;
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
            tenantId = await db.Tenants.Where(t => t.OrganisationId == Org).Select(t => t.Id).SingleAsync();
            db.EventSubscriptions.Add(new EventSubscription
            {
                Id = "es-bench",
                TenantId = tenantId,
                ClientId = App,
                CallbackUrl = callback,
                Version = "3.1",
                ApiVersion = "v3.1.11",
                CreatedAt = DateTime.UtcNow,
                UpdatedAt = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
            payments = outage ? await PrepareConsentsAsync(db, key, tenantId, PaymentsPerSecond * (int)Outage.TotalSeconds) : [];
        }

        Console.WriteLine($"set-up: {Resources:N0} consents, the subscription{(outage ? $" and {payments.Count:N0} authorised payment consents" : string.Empty)} "
            + $"in {clock.Elapsed.TotalSeconds:N1} s; receiver on {callback}");

        // Warm-up (unmeasured): 2,000 changes at a quarter of the rate, so the JIT has tiered up before the measured window.
        var committed = new ConcurrentDictionary<string, long>();
        await DriveAsync(factory, tenantId, ids, rate / 4, 2_000 * 4 / Math.Max(rate, 1), versionOffset: 1_000_000, committed: null);
        await WaitAsync(() => answered.Count(a => a.Value.Accepted > 0) >= 2_000, TimeSpan.FromSeconds(120));
        answered.Clear();
        posts = 0;

        // The load: changes at the rate (and in the outage, payments through the API at 20/s for its 60 s).
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        Volatile.Write(ref loadStarted, Stopwatch.GetTimestamp());
        var paying = outage ? PayAsync(http, payments) : Task.FromResult(Array.Empty<(HttpStatusCode, double)>());
        var inserted = await DriveAsync(factory, tenantId, ids, rate, seconds, versionOffset: 0, committed);
        var loadSeconds = Stopwatch.GetElapsedTime(loadStarted).TotalSeconds;
        var paid = await paying;

        // Until every change has its 202 (or the deadline).
        var measured = await WaitAsync(() => Delivered(answered, committed) == committed.Count, TimeSpan.FromSeconds(outage ? 400 : 180));
        var doneAt = Stopwatch.GetTimestamp();
        var cpuUsed = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;

        var latencies = answered.Values.Where(a => a.Accepted > 0 && committed.ContainsKey(a.Txn))
            .Select(a => Stopwatch.GetElapsedTime(committed[a.Txn], a.FirstAcceptedAt).TotalMilliseconds).Order().ToArray();
        var lastAccepted = answered.Values.Where(a => a.Accepted > 0).Select(a => a.FirstAcceptedAt).DefaultIfEmpty(doneAt).Max();
        double P(double q) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];
        var deliverySeconds = Stopwatch.GetElapsedTime(loadStarted, lastAccepted).TotalSeconds;
        // Delivered while the load ran: the rate the deliverer sustained (the tail after it is the last rows' latency).
        var loadEnded = loadStarted + (long)(loadSeconds * Stopwatch.Frequency);
        var inWindow = answered.Values.Count(a => a.Accepted > 0 && committed.ContainsKey(a.Txn) && a.FirstAcceptedAt <= loadEnded);
        Console.WriteLine($"{inserted:N0} status changes committed at {rate}/s over {loadSeconds:N1} s ({inserted / loadSeconds:N0}/s achieved); "
            + $"{latencies.Length:N0} delivered (202), the last {deliverySeconds - loadSeconds:N1} s after the load ended; "
            + $"{inWindow / loadSeconds:N0} notifications/s delivered during the load");
        Console.WriteLine($"commit → 202 ms: p50 {P(0.50):N0}  p95 {P(0.95):N0}  p99 {P(0.99):N0}  max {(latencies.Length == 0 ? double.NaN : latencies[^1]):N0}");

        // Then every other notification of the app (the payments' own changes, settlement included) has its outcome too.
        var settled = await WaitAsync(() =>
        {
            using var scope = factory.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
            return !db.OutboxMessages.Any(m => m.DispatchedAt == null) && !db.EventNotifications.Any(n => n.ClientId == App && n.State == EventDeliveryState.Pending);
        }, TimeSpan.FromSeconds(300));
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
            var states = await db.EventNotifications.Where(n => n.ClientId == App).GroupBy(n => n.State).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
            var attempts = await db.EventDeliveryAttempts.CountAsync();
            var undispatched = await db.OutboxMessages.CountAsync(m => m.DispatchedAt == null);
            Console.WriteLine($"notifications of the app: {string.Join(", ", states.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Count:N0}"))}; "
                + $"{attempts:N0} push attempts recorded; {undispatched} outbox rows undispatched");
        }

        var duplicates = answered.Values.Count(a => a.Accepted > 1);
        Console.WriteLine($"receiver: {posts:N0} POSTs, {answered.Count:N0} distinct jtis, {answered.Values.Sum(a => a.Failed):N0} answered 500, "
            + $"{duplicates} jtis answered 202 more than once (duplicates)");
        if (outage)
        {
            var ok = paid.Count(p => p.Item1 == HttpStatusCode.Created);
            var times = paid.Select(p => p.Item2).Order().ToArray();
            double Q(double q) => times.Length == 0 ? double.NaN : times[Math.Min(times.Length - 1, (int)Math.Ceiling(q * times.Length) - 1)];
            Console.WriteLine($"payments made through the API while the receiver answered 500: {ok:N0}/{paid.Length:N0} created; "
                + $"latency ms p50 {Q(0.50):N0}  p95 {Q(0.95):N0}  p99 {Q(0.99):N0}");
        }

        Console.WriteLine($"process CPU during the load and delivery: {cpuUsed:N1} core-seconds (Sandbox, receiver and driver; {Environment.ProcessorCount} cores; "
            + $"load average {File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Aggregate((a, b) => $"{a} {b}")})");
        var allDelivered = measured && settled && latencies.Length == inserted;
        return allDelivered && (outage || (inWindow / loadSeconds >= 500 && P(0.95) < 1000)) ? 0 : 1;
    }

    private static int Delivered(ConcurrentDictionary<string, Received> answered, ConcurrentDictionary<string, long> committed)
        => answered.Values.Count(a => a.Accepted > 0 && committed.ContainsKey(a.Txn));

    /// <summary>Writes outbox rows at the rate for the seconds (open loop: behind schedule, the next transaction takes more); the number written.</summary>
    private static async Task<int> DriveAsync(BenchFactory factory, Guid tenantId, string[] ids, int rate, int seconds, int versionOffset,
        ConcurrentDictionary<string, long>? committed)
    {
        var total = rate * seconds;
        var written = 0;
        var start = Stopwatch.GetTimestamp();
        while (written < total)
        {
            var due = Math.Min(total, (int)(Stopwatch.GetElapsedTime(start).TotalSeconds * rate));
            if (due <= written)
            {
                await Task.Delay(1);
                continue;
            }

            var from = written;
            var count = Math.Min(due - written, 500);
            var txns = new List<string>(count);
            await using var scope = factory.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<WriteTransaction>().RunAsync(async db =>
            {
                var now = DateTimeOffset.UtcNow;
                for (var i = from; i < from + count; i++)
                {
                    var version = versionOffset + i;
                    var id = ids[i % ids.Length];
                    db.OutboxMessages.Add(Outbox.StatusChanged(OutboxResource.AccountAccessConsent, id, tenantId, App, "Authorised", version, now));
                    txns.Add($"{id}:{version}");
                }

                await db.SaveChangesAsync();
            }, CancellationToken.None);
            var at = Stopwatch.GetTimestamp();
            foreach (var txn in txns)
            {
                committed?.TryAdd(txn, at);
            }

            written += count;
        }

        return written;
    }

    private static async Task<bool> WaitAsync(Func<bool> done, TimeSpan deadline)
    {
        var until = Stopwatch.GetTimestamp() + (long)(deadline.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            if (done())
            {
                return true;
            }

            await Task.Delay(50);
        }

        return done();
    }

    /// <summary>Submits the prepared payments at 20/s through the API: status and latency of each.</summary>
    private static async Task<(HttpStatusCode, double)[]> PayAsync(HttpClient http, List<(string Token, string Body)> payments)
    {
        var tasks = new List<Task<(HttpStatusCode, double)>>();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < payments.Count; i++)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / PaymentsPerSecond);
            while (Stopwatch.GetTimestamp() < due)
            {
                await Task.Delay(1);
            }

            var (token, body) = payments[i];
            tasks.Add(Task.Run(async () =>
            {
                var began = Stopwatch.GetTimestamp();
                using var request = new HttpRequestMessage(HttpMethod.Post, "/open-banking/v3.1/pisp/domestic-payments")
                {
                    Content = new StringContent(body, Encoding.UTF8, "application/json"),
                };
                request.Headers.Authorization = new("Bearer", token);
                request.Headers.Add("x-idempotency-key", Guid.NewGuid().ToString("N"));
                using var response = await http.SendAsync(request);
                return (response.StatusCode, Stopwatch.GetElapsedTime(began).TotalMilliseconds);
            }));
        }

        return await Task.WhenAll(tasks);
    }

    /// <summary>Authorised domestic payment consents of the app, stored as the API and the customer's authorisation leave them (set-up, not measured).</summary>
    private static async Task<List<(string Token, string Body)>> PrepareConsentsAsync(SandboxDbContext db, SecurityKey key, Guid tenantId, int count)
    {
        var accounts = await db.Accounts.AsNoTracking().Where(a => a.TenantId == tenantId && a.SchemeName != "UK.OBIE.PAN" && a.Currency == "GBP")
            .OrderByDescending(a => a.BookedBalanceMinor).Take(40).ToListAsync();
        var payee = accounts[0];
        const string risk = "{\"PaymentContextCode\":\"TransferToThirdParty\"}";
        var prepared = new List<(string, string)>(count);
        for (var index = 0; index < count; index++)
        {
            var payer = accounts[1 + (index % (accounts.Count - 1))];
            var initiation = "{\"InstructionIdentification\":\"bench-" + index.ToString(CultureInfo.InvariantCulture) + "\",\"EndToEndIdentification\":\"bench\","
                + "\"LocalInstrument\":\"UK.OBIE.FPS\",\"InstructedAmount\":{\"Amount\":\"1.00\",\"Currency\":\"GBP\"},"
                + $"\"CreditorAccount\":{{\"SchemeName\":\"{payee.SchemeName}\",\"Identification\":\"{payee.Identification}\",\"Name\":\"{payee.Name}\"}},"
                + "\"RemittanceInformation\":{\"Reference\":\"BENCH\"}}";
            using var body = JsonDocument.Parse("{\"Data\":{\"Initiation\":" + initiation + "},\"Risk\":" + risk + "}");
            var consent = OpenBanking.Sandbox.Payments.V3_1.DomesticConsentRequest.Parse(body.RootElement).ToConsent(App);
            var now = DateTimeOffset.UtcNow;
            consent.TenantId = tenantId;
            consent.Status = PaymentConsentStatus.Authorised;
            consent.CreationDateTime = consent.StatusUpdateDateTime = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
            consent.CustomerId = payer.CustomerId;
            consent.DebtorAccountId = payer.Id;
            consent.Version = 1;
            db.DomesticPaymentConsents.Add(consent);
            prepared.Add((BenchTokens.Create(key, App, Org, "payments", consent.Id, TimeSpan.FromHours(2)),
                "{\"Data\":{\"ConsentId\":\"" + consent.Id + "\",\"Initiation\":" + initiation + "},\"Risk\":" + risk + "}"));
        }

        await db.SaveChangesAsync();
        return prepared;
    }

    private static async Task<JsonElement> SendAsync(HttpClient http, string token, HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", token);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(text).RootElement.Clone()
            : throw new InvalidOperationException($"{method} {path} → {(int)response.StatusCode}: {text}");
    }

    private sealed class Received(string txn)
    {
        public string Txn { get; } = txn;

        public int Accepted;

        public int Failed;

        public long FirstAcceptedAt;
    }
}
