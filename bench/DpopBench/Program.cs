// DPoP cost at the gateway (issue 19). Two modes:
//   micro [count]            in process: the gateway's per-request DPoP work — proof validation (ES256, PS256) and the
//                            replay insert into a SQLite DpopProofs table (WAL, as the gateway's) — timed per proof.
//   mint <token-url> <client:secret> <htu> <count> <out-dir>
//                            an ES256 key (kept in out-dir/key.pem across calls), a DPoP-bound client-credentials
//                            token (out-dir/token, fetched once) and <count> fresh proofs for GET <htu> (out-dir/proofs),
//                            one a line, for bench/gateway-dpop.sh's wrk script.
// Proofs are made here with System.Security.Cryptography only, as a partner's client would.
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.ServiceDefaults.Authentication.Dpop;

return args.FirstOrDefault() switch
{
    "micro" => await MicroAsync(args.Length > 1 ? int.Parse(args[1]) : 20_000),
    "mint" when args.Length == 6 => await MintAsync(args[1], args[2], args[3], int.Parse(args[4]), args[5]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: micro [count] | mint <token-url> <client:secret> <htu> <count> <out-dir>");
    return 2;
}

static async Task<int> MicroAsync(int count)
{
    const string htu = "https://api.example.com/open-banking/v3.1/aisp/accounts";
    const string token = "eyJhbGciOiJQUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.c2lnbmF0dXJl";
    var validator = new DpopProofValidator(TimeProvider.System);
    var directory = Directory.CreateTempSubdirectory("dpop-bench");
    var services = new ServiceCollection()
        .AddDbContext<BenchDb>(o => o.UseSqlite($"Data Source={Path.Combine(directory.FullName, "bench.db")}"))
        .AddSingleton<EfDpopReplayStore<BenchDb>>()
        .BuildServiceProvider();
    using (var scope = services.CreateScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<BenchDb>();
        await db.Database.EnsureCreatedAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL");
    }

    var store = services.GetRequiredService<EfDpopReplayStore<BenchDb>>();
    Console.WriteLine("step,algorithm,count,mean_us,p50_us,p99_us");
    foreach (var algorithm in new[] { "ES256", "PS256" })
    {
        using var key = Key.Create(algorithm);
        // Proofs minted up front (a client's cost, not the gateway's), in batches so each stays inside the 60 s window.
        var validate = new List<double>(count);
        var replay = new List<double>(count);
        for (var done = 0; done < count + 2_000; done += 5_000)
        {
            var batch = Enumerable.Range(0, 5_000).Select(_ => key.Proof("GET", htu, token)).ToList();
            for (var i = 0; i < batch.Count; i++)
            {
                var proof = batch[i];
                var started = Stopwatch.GetTimestamp();
                var result = validator.Validate(new DpopProofRequest(proof, "GET", [htu], token, key.Thumbprint));
                var validated = Stopwatch.GetTimestamp();
                if (!result.Succeeded || !await store.TryRecordAsync(result.Jkt!, result.Jti!, DateTime.UtcNow.AddSeconds(70), default))
                {
                    throw new InvalidOperationException(result.Message ?? "replay");
                }

                var recorded = Stopwatch.GetTimestamp();
                // The first 2 000 warm up the JIT and the connection.
                if (done + i >= 2_000 && validate.Count < count)
                {
                    validate.Add(Stopwatch.GetElapsedTime(started, validated).TotalMicroseconds);
                    replay.Add(Stopwatch.GetElapsedTime(validated, recorded).TotalMicroseconds);
                }
            }
        }

        Report("validate", algorithm, validate);
        Report("replay-insert", algorithm, replay);
        Report("total", algorithm, [.. validate.Zip(replay, (a, b) => a + b)]);
    }

    await store.DisposeAsync();
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    directory.Delete(recursive: true);
    return 0;
}

static void Report(string step, string algorithm, List<double> values)
{
    values.Sort();
    Console.WriteLine($"{step},{algorithm},{values.Count},{values.Average():F1},{values[values.Count / 2]:F1},{values[(int)(values.Count * 0.99)]:F1}");
}

static async Task<int> MintAsync(string tokenUrl, string credentials, string htu, int count, string outDirectory)
{
    Directory.CreateDirectory(outDirectory);
    var keyFile = Path.Combine(outDirectory, "key.pem");
    using var key = File.Exists(keyFile) ? Key.FromPem(File.ReadAllText(keyFile)) : Key.Create("ES256");
    File.WriteAllText(keyFile, key.Pem());

    var tokenFile = Path.Combine(outDirectory, "token");
    if (!File.Exists(tokenFile))
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "accounts" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        request.Headers.Add("DPoP", key.Proof("POST", tokenUrl, accessToken: null));
        using var response = await http.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        if (!response.IsSuccessStatusCode || body.GetProperty("token_type").GetString() != "DPoP")
        {
            Console.Error.WriteLine($"token request failed: {(int)response.StatusCode} {body}");
            return 1;
        }

        File.WriteAllText(tokenFile, body.GetProperty("access_token").GetString());
    }

    var token = File.ReadAllText(tokenFile);
    await using var proofs = new StreamWriter(Path.Combine(outDirectory, "proofs"));
    for (var i = 0; i < count; i++)
    {
        await proofs.WriteLineAsync(key.Proof("GET", htu, token));
    }

    return 0;
}

internal sealed class BenchDb(DbContextOptions<BenchDb> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder) => builder.AddDpopProofs();
}

/// <summary>A DPoP key and its proofs, with System.Security.Cryptography and System.Text.Json only.</summary>
internal sealed class Key : IDisposable
{
    private readonly ECDsa? _ec;
    private readonly RSA? _rsa;
    private readonly string _header;

    private Key(ECDsa? ec, RSA? rsa)
    {
        _ec = ec;
        _rsa = rsa;
        Dictionary<string, string> jwk;
        if (ec is not null)
        {
            var p = ec.ExportParameters(false);
            jwk = new() { ["crv"] = "P-256", ["kty"] = "EC", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
        }
        else
        {
            var p = rsa!.ExportParameters(false);
            jwk = new() { ["e"] = B64(p.Exponent!), ["kty"] = "RSA", ["n"] = B64(p.Modulus!) };
        }

        // The members are already in RFC 7638 order, so the thumbprint is the hash of this JSON.
        Thumbprint = B64(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(jwk)));
        _header = B64(JsonSerializer.SerializeToUtf8Bytes(new { typ = "dpop+jwt", alg = ec is not null ? "ES256" : "PS256", jwk }));
    }

    public string Thumbprint { get; }

    public static Key Create(string algorithm) => algorithm == "ES256" ? new(ECDsa.Create(ECCurve.NamedCurves.nistP256), null) : new(null, RSA.Create(2048));

    public static Key FromPem(string pem)
    {
        var ec = ECDsa.Create();
        ec.ImportFromPem(pem);
        return new(ec, null);
    }

    public string Pem() => _ec!.ExportECPrivateKeyPem();

    public string Proof(string method, string htu, string? accessToken)
    {
        var claims = new Dictionary<string, object>
        {
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["htm"] = method,
            ["htu"] = htu,
            ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
        if (accessToken is not null)
        {
            claims["ath"] = B64(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
        }

        var input = _header + "." + B64(JsonSerializer.SerializeToUtf8Bytes(claims));
        var bytes = Encoding.ASCII.GetBytes(input);
        var signature = _ec is not null
            ? _ec.SignData(bytes, HashAlgorithmName.SHA256)
            : _rsa!.SignData(bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        return input + "." + B64(signature);
    }

    public void Dispose()
    {
        _ec?.Dispose();
        _rsa?.Dispose();
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
