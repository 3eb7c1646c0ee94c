using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Infrastructure;
using OpenBanking.Sandbox.Tenancy;
using OpenBanking.ServiceDefaults.Data;

// Sandbox benchmarks (see docs/benchmarks.md):
//   generate                       time to generate and store a default tenant, then a 1,000,000-transaction tenant
//   serve <file>                   host the Sandbox on Kestrel with an account of ~100,000 transactions; write URL and token to <file>
//   load <file> <rps> <seconds>    open-loop load at a fixed rate against the served account's transactions; print latency percentiles
//   payments-serve <file> <count> [v3.1|v4.0] [domestic|vrp|international]  host the Sandbox with the settlement worker on; prepare <count> authorised payment consents
//   fraud [BenchmarkDotNet args]   feature extraction and fraud-model scoring per payment (BenchmarkDotNet; e.g. fraud --job short --inProcess --filter '*')
//   payments-load <file> <rps> <seconds> [server pid]  submit the prepared payments at a fixed rate; then replay some, wait for settlement, check the ledger
//   clock-year [daily] [weekly] [monthly] [scheduled]  a tenant with that many standing orders and scheduled payments; time advancing its clock a year
//   events [rate] [seconds] [outage]  status changes at a rate notified to a local receiver; commit → 202 latency (outage: 500s for 60 s first)
return args.FirstOrDefault() switch
{
    "generate" => await Generate(),
    "serve" => await Serve(args[1]),
    "load" => await Load(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture)),
    "payments-serve" => await PaymentsBench.Serve(args[1], int.Parse(args[2], CultureInfo.InvariantCulture),
        args.Length > 3 && args[3] == "v4.0" ? OpenBanking.Sandbox.Domain.ApiVersion.V4_0 : OpenBanking.Sandbox.Domain.ApiVersion.V3_1_11,
        kind: args.Length > 4 ? args[4] : "domestic"),
    "payments-load" => await PaymentsBench.Load(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture),
        args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : null),
    "clock-year" => await ClockBench.Run(Arg(1, 20), Arg(2, 20), Arg(3, 20), Arg(4, 20)),
    "fraud" => FraudScoringBench.Run(args[1..]),
    "events" => await EventsBench.Run(Arg(1, 500), Arg(2, 30), outage: args.Length > 3 && args[3] == "outage"),
    _ => Usage(),
};

int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

static int Usage()
{
    Console.Error.WriteLine("usage: generate | serve <file> | load <file> <requests-per-second> <seconds>");
    return 2;
}

static async Task<int> Generate()
{
    foreach (var (label, options, runs) in new (string, GeneratorOptions, int)[]
    {
        ("default tenant", new GeneratorOptions(), 5),
        ("1,000,000-transaction tenant", new GeneratorOptions { GeneratedCustomers = 272, GeneratedHistoryMonths = 36, GeneratedCardPaymentsPerDay = 3.4 }, 1),
    })
    {
        var times = new List<double>();
        var count = 0;
        for (var run = 0; run < runs + (runs > 1 ? 1 : 0); run++)
        {
            await using var scope = await NewDatabaseAsync(options);
            var tenants = scope.ServiceProvider.GetRequiredService<TenantService>();
            var stopwatch = Stopwatch.StartNew();
            var tenant = await tenants.GetOrCreateAsync($"bench-org-{run}", CancellationToken.None);
            stopwatch.Stop();
            if (runs > 1 && run == 0)
            {
                continue; // warm-up: JIT and SQLite page cache
            }

            times.Add(stopwatch.Elapsed.TotalMilliseconds);
            var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
            count = await db.Transactions.CountAsync(t => t.TenantId == tenant.Id);
        }

        times.Sort();
        Console.WriteLine($"{label}: {count:N0} transactions; generate + store median {times[times.Count / 2]:N0} ms, max {times[^1]:N0} ms over {times.Count} run(s)");
    }

    return 0;
}

static async Task<int> Serve(string file)
{
    var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "bench" };
    var directory = BenchFactory.PrepareDirectory();
    var factory = new BenchFactory(directory, key);
    factory.UseKestrel(0);
    factory.StartServer();
    var baseUrl = factory.ClientOptions.BaseAddress.ToString().TrimEnd('/');
    Console.WriteLine($"Sandbox on {baseUrl}; generating the benchmark tenant…");

    using var internalClient = new HttpClient { BaseAddress = new Uri(baseUrl) };
    internalClient.DefaultRequestHeaders.Authorization = new("Bearer", Token(key, "identity-service", "platform", "sandbox.internal", null, audience: "sandbox"));
    var customers = await internalClient.GetFromJsonAsync<JsonElement[]>("/internal/tenants/bench-org/customers");
    var heavy = customers!.Single(c => c.GetProperty("Username").GetString() == "customer01").GetProperty("CustomerId").GetString();
    var accounts = await internalClient.GetFromJsonAsync<JsonElement[]>($"/internal/tenants/bench-org/customers/{heavy}/accounts");
    var accountId = accounts![0].GetProperty("AccountId").GetString()!;

    using var wallet = new HttpClient { BaseAddress = new Uri(baseUrl) };
    wallet.DefaultRequestHeaders.Authorization = new("Bearer", Token(key, "bench-wallet", "bench-org", "accounts", null));
    using var created = await wallet.PostAsync("/open-banking/v3.1/aisp/account-access-consents", new StringContent(
        """{"Data":{"Permissions":["ReadAccountsDetail","ReadBalances","ReadTransactionsDetail","ReadTransactionsCredits","ReadTransactionsDebits"]},"Risk":{}}""",
        System.Text.Encoding.UTF8, "application/json"));
    var consentId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("Data").GetProperty("ConsentId").GetString();
    using var authorised = await internalClient.PostAsJsonAsync($"/internal/consents/{consentId}/authorise", new { customerId = heavy, accountIds = new[] { accountId } });
    authorised.EnsureSuccessStatusCode();

    await using (var scope = factory.Services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
        Console.WriteLine($"account {accountId}: {await db.Transactions.CountAsync(t => t.AccountId == accountId):N0} transactions");
    }

    // The token lives an hour: long enough for a benchmark run, validated like any other.
    var token = Token(key, "bench-wallet", "bench-org", "accounts", consentId, TimeSpan.FromHours(1));
    // The AIS reads of bench/sandbox.sh's CPU measurement: one accounts page, one account's balances, one transactions page.
    // The same reads through v4.0 with the same (v3.1.11) consent, which the version-compatibility rule lets a newer
    // version use: the twins differ only in the edge that writes them.
    var aisp = $"{baseUrl}/open-banking/v3.1/aisp";
    var aispV4 = $"{baseUrl}/open-banking/v4.0/aisp";
    await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new
    {
        url = $"{aisp}/accounts/{accountId}/transactions",
        token,
        reads = new Dictionary<string, string>
        {
            ["accounts"] = $"{aisp}/accounts",
            ["balances"] = $"{aisp}/accounts/{accountId}/balances",
            ["transactions"] = $"{aisp}/accounts/{accountId}/transactions",
            ["accounts_v4"] = $"{aispV4}/accounts",
            ["balances_v4"] = $"{aispV4}/accounts/{accountId}/balances",
            ["transactions_v4"] = $"{aispV4}/accounts/{accountId}/transactions",
        },
    }));
    Console.WriteLine($"ready: {file}");

    // Until SIGTERM/SIGINT (bench/sandbox.sh's clean-up): the host's console lifetime turns them into
    // ApplicationStopping; an endless delay would keep the process alive after the host has stopped.
    var lifetime = factory.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>();
    try
    {
        await Task.Delay(Timeout.Infinite, lifetime.ApplicationStopping);
    }
    catch (OperationCanceledException)
    {
    }

    await factory.DisposeAsync();
    return 0;
}

static async Task<int> Load(string file, int rate, int seconds)
{
    var target = JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement;
    var url = target.GetProperty("url").GetString()!;
    using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 });
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", target.GetProperty("token").GetString());

    // Warm-up, then an open loop: requests start on schedule whether or not earlier ones have finished,
    // so a slow response cannot hide the queueing it causes (no coordinated omission).
    for (var i = 0; i < 50; i++)
    {
        using var warm = await client.GetAsync(url + "?page=" + (1 + (i % 50)));
    }

    var total = rate * seconds;
    var latencies = new double[total];
    var failures = 0;
    var tasks = new List<Task>(total);
    var start = Stopwatch.GetTimestamp();
    for (var i = 0; i < total; i++)
    {
        var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
        while (Stopwatch.GetTimestamp() < due)
        {
            await Task.Delay(1);
        }

        var index = i;
        var page = 1 + (i % 200);
        tasks.Add(Task.Run(async () =>
        {
            var began = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync($"{url}?page={page}");
            await response.Content.ReadAsByteArrayAsync();
            // Measured from when the request was due, not from when it was sent.
            latencies[index] = Stopwatch.GetElapsedTime(Math.Min(due, began)).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                Interlocked.Increment(ref failures);
            }
        }));
    }

    await Task.WhenAll(tasks);
    var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
    Array.Sort(latencies);
    double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];
    Console.WriteLine($"{total} requests at {rate}/s over {elapsed:N1} s ({total / elapsed:N0}/s achieved), {failures} non-200");
    Console.WriteLine($"latency ms: p50 {P(0.50):N1}  p90 {P(0.90):N1}  p95 {P(0.95):N1}  p99 {P(0.99):N1}  max {latencies[^1]:N1}");
    return failures == 0 ? 0 : 1;
}

static async Task<AsyncServiceScope> NewDatabaseAsync(GeneratorOptions options)
{
    var path = Path.Combine(Path.GetTempPath(), "openbanking-bench", Guid.NewGuid().ToString("N"), "sandbox.db");
    var services = new ServiceCollection()
        .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
        .AddSingleton(TimeProvider.System)
        .AddSingleton(Options.Create(options))
        .AddDbContext<SandboxDbContext, SqliteSandboxDbContext>(o => o.UseServiceDatabase(new DatabaseSettings(DatabaseProvider.Sqlite, $"Data Source={path}")))
        .AddSingleton<OpenBanking.Sandbox.Clock.TenantClocks>()
        .AddScoped<TenantService>()
        .BuildServiceProvider();
    var scope = services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<SandboxDbContext>();
    await db.Database.MigrateAsync();
    await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    return scope;
}

static string Token(SecurityKey key, string clientId, string organisationId, string scope, string? consentId, TimeSpan? lifetime = null, string audience = "open-banking-api")
    => BenchTokens.Create(key, clientId, organisationId, scope, consentId, lifetime, audience);

/// <summary>The real Sandbox on Kestrel, in Production mode, trusting the benchmark's signing key instead of Identity's JWKS.</summary>
internal sealed class BenchFactory(string dataDirectory, SecurityKey key, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<OpenBanking.Sandbox.SandboxAppMarker>
{
    public const string Issuer = "http://localhost:5001/";

    /// <summary>A fresh data folder; and the Sandbox's content root, which WebApplicationFactory looks for this way outside a test project.</summary>
    public static string PrepareDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "openbanking-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "OpenBanking.sln")))
        {
            root = root.Parent;
        }

        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_OPENBANKING_SANDBOX", Path.Combine(root!.FullName, "src", "Sandbox"));
        return directory;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Database:DataDirectory", dataDirectory);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Production demands the key that encrypts Data Protection keys at rest; a benchmark's throw-away one will do.
        builder.UseSetting("DataProtection:KeyEncryptionKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        // By default one heavy customer: ~100,000 card payments over three years on one current account.
        foreach (var (name, value) in settings ?? new Dictionary<string, string>
        {
            ["Sandbox:Generator:GeneratedCustomers"] = "1",
            ["Sandbox:Generator:GeneratedHistoryMonths"] = "36",
            ["Sandbox:Generator:GeneratedCardPaymentsPerDay"] = "90",
        })
        {
            builder.UseSetting(name, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
            {
                var configuration = new OpenIdConnectConfiguration { Issuer = Issuer };
                configuration.SigningKeys.Add(key);
                options.Configuration = configuration;
                options.ConfigurationManager = new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
            });
            // No Identity runs beside the benchmark: its apps are unknown there, so none must sign (as an app that has not
            // opted in). Without this every payment would be refused with 503, the signing settings being unreadable.
            services.AddSingleton<OpenBanking.Sandbox.Platform.IAppSecurityDirectory, NoSigningRequired>();
        });
    }

    private sealed class NoSigningRequired : OpenBanking.Sandbox.Platform.IAppSecurityDirectory
    {
        public ValueTask<OpenBanking.Shared.AppSecurityProfile?> GetAsync(string clientId, bool refresh, CancellationToken cancellationToken)
            => ValueTask.FromResult<OpenBanking.Shared.AppSecurityProfile?>(null);
    }
}
