using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using OpenBanking.ServiceDefaults.Data;
using OpenBanking.Shared;
using YamlDotNet.RepresentationModel;

namespace OpenBanking.Platform.Tests;

/// <summary>
/// No Docker engine runs on our machines, so docker-compose.yml is checked by reading it: every service is built
/// from the one multi-stage Dockerfile (its project a build argument), runs on SQL Server with a login of its own
/// (made by db-init), waits for healthy dependencies, and is given exactly the configuration its code reads (each service's appsettings.json lists every
/// key the service reads). Only the public services are published on the host; the Sandbox is internal.
/// </summary>
public sealed partial class DockerComposeTests
{
    private static readonly string[] AppServices =
        [PlatformServices.Identity, PlatformServices.Sandbox, PlatformServices.Gateway, PlatformServices.Portal];

    /// <summary>What partners and browsers reach; the Sandbox only behind the gateway.</summary>
    private static readonly string[] PublicServices = [PlatformServices.Identity, PlatformServices.Gateway, PlatformServices.Portal];

    private const string DbInit = "db-init";

    private static readonly string SharedDockerfile = Path.Combine(RepositoryPaths.Root, "Dockerfile");

    /// <summary>Keys the platform (ASP.NET Core itself) reads rather than our appsettings.json.</summary>
    private static readonly string[] FrameworkKeys = ["ASPNETCORE_ENVIRONMENT", "ASPNETCORE_HTTP_PORTS"];

    /// <summary>What each service cannot run in a container without.</summary>
    private static readonly Dictionary<string, string[]> RequiredKeys = new()
    {
        [PlatformServices.Identity] = ["Database:Provider", "ConnectionStrings:IdentityDb", "Identity:Issuer", "Identity:KeysDirectory", "Identity:Smtp:Host", "Identity:Smtp:From", "DataProtection:KeyEncryptionKey", "Privacy:LogPseudonymKey"],
        [PlatformServices.Sandbox] = ["Database:Provider", "ConnectionStrings:SandboxDb", "DataProtection:KeyEncryptionKey", "Sandbox:TotpKey", "Privacy:LogPseudonymKey"],
        [PlatformServices.Gateway] = ["Database:Provider", "ConnectionStrings:GatewayDb", "DataProtection:KeyEncryptionKey", "Privacy:LogPseudonymKey"],
        [PlatformServices.Portal] = ["Database:Provider", "ConnectionStrings:PortalDb", "Platform:IdentityUrl", "Platform:GatewayUrl", "DataProtection:KeyEncryptionKey", "Privacy:LogPseudonymKey"],
    };

    private readonly YamlMappingNode _services;

    public DockerComposeTests()
    {
        var yaml = new YamlStream();
        using var reader = File.OpenText(Path.Combine(RepositoryPaths.Root, "docker-compose.yml"));
        yaml.Load(reader);
        _services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    public static TheoryData<string> Services() => new(AppServices);

    public static TheoryData<string> Published() => new(PublicServices);

    [Fact]
    public void Compose_RunsSqlServer2022WithAHealthCheck()
    {
        var sqlServer = Service("sqlserver");

        Assert.StartsWith("mcr.microsoft.com/mssql/server:2022", Scalar(sqlServer, "image"));
        Assert.Contains("sqlcmd", Sequence((YamlMappingNode)sqlServer["healthcheck"], "test").Last());
        Assert.Equal("Y", Environment(sqlServer)["ACCEPT_EULA"]);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Service_IsBuiltFromTheOneMultiStageDockerfile_WithItsProjectAsBuildArgument(string service)
    {
        var project = ProjectName(service);
        var build = (YamlMappingNode)Service(service)["build"];

        Assert.Equal(".", Scalar(build, "context"));
        Assert.Equal(SharedDockerfile, Path.Combine(RepositoryPaths.Root, Scalar(build, "dockerfile")));
        Assert.Equal(project, Scalar((YamlMappingNode)build["args"], "PROJECT"));

        // What the Dockerfile makes of the argument: the service's project is published, and its assembly started.
        var csproj = Path.Combine(RepositoryPaths.Root, "src", project, $"{project}.csproj");
        Assert.Contains($"<AssemblyName>OpenBanking.{project}</AssemblyName>", File.ReadAllText(csproj));
        var stages = File.ReadAllLines(SharedDockerfile).Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, stages.Count);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", stages[0]);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0", stages[1]);
        var text = File.ReadAllText(SharedDockerfile);
        Assert.Contains("dotnet publish src/${PROJECT}/${PROJECT}.csproj", text);
        Assert.Contains("ENV APP_ASSEMBLY=OpenBanking.${PROJECT}.dll", text);
        Assert.Contains("""ENTRYPOINT ["/bin/sh", "-c", "exec dotnet \"$APP_ASSEMBLY\" \"$@\"", "--"]""", text);
        Assert.Contains("USER app", text);
        // Each stage that uses the argument declares it (an ARG before FROM is not seen inside a stage).
        Assert.Equal(2, File.ReadAllLines(SharedDockerfile).Count(l => l == "ARG PROJECT"));
    }

    [Fact]
    public void NoServiceKeepsADockerfileOfItsOwn()
        => Assert.Empty(Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "src"), "Dockerfile", SearchOption.AllDirectories));

    [Theory]
    [MemberData(nameof(Services))]
    public void Service_SetsOnlyKeysItsCodeReads(string service)
    {
        var known = KnownKeys(service);

        var unknown = Environment(Service(service)).Keys
            .Select(ToConfigurationKey)
            .Where(key => !known.Contains(key))
            .ToList();

        Assert.True(unknown.Count == 0, $"{service} sets keys its code never reads: {string.Join(", ", unknown)}");
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Service_HasEveryKeyItNeeds(string service)
    {
        var set = Environment(Service(service)).Keys.Select(ToConfigurationKey).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // Every service-discovery address in appsettings.json is a Development localhost address: a container must override it.
        var discovery = KnownKeys(service).Where(k => k.StartsWith("Services:", StringComparison.OrdinalIgnoreCase));

        var missing = RequiredKeys[service].Concat(discovery).Where(key => !set.Contains(key)).ToList();

        Assert.True(missing.Count == 0, $"{service} lacks: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Service_DatabaseSettingsResolveToItsOwnSqlServerDatabase(string service)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(Environment(Service(service))
                .Select(e => new KeyValuePair<string, string?>(ToConfigurationKey(e.Key), e.Value)))
            .Build();

        // The same code the service runs at start-up.
        var settings = DatabaseSettings.Resolve(configuration, ProjectName(service) + "Db", "/app");

        Assert.Equal(DatabaseProvider.SqlServer, settings.Provider);
        Assert.Contains("Server=sqlserver,1433", settings.ConnectionString);
        Assert.Contains($"Database=OpenBanking{ProjectName(service)};", settings.ConnectionString);
        Assert.DoesNotContain("Password=secret", settings.ConnectionString, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"User Id=openbanking_{service};Password=${{{service.ToUpperInvariant()}_DB_PASSWORD}};", settings.ConnectionString);
    }

    [Fact]
    public void NoServiceConnectsAsSa_AndEachHasALoginAndPasswordOfItsOwn()
    {
        var connectionStrings = AppServices.ToDictionary(s => s, s => Environment(Service(s))[$"ConnectionStrings__{ProjectName(s)}Db"]);

        Assert.All(connectionStrings.Values, c =>
        {
            Assert.DoesNotMatch(SaLogin(), c);
            Assert.DoesNotContain("MSSQL_SA_PASSWORD", c, StringComparison.Ordinal);
        });
        var logins = connectionStrings.Values.Select(c => LoginOf().Match(c).Groups["login"].Value.Trim().ToLowerInvariant()).ToList();
        var passwords = connectionStrings.Values.Select(c => PasswordOf().Match(c).Groups["password"].Value).ToList();
        Assert.All(logins, login => Assert.NotEmpty(login));
        Assert.Equal(AppServices.Length, logins.Distinct().Count());
        Assert.Equal(AppServices.Length, passwords.Distinct().Count());
    }

    [Fact]
    public void DbInit_CreatesEachServicesDatabaseAndLogin_WithRightsOnlyInItsOwnDatabase_BeforeAnyServiceStarts()
    {
        var init = Service(DbInit);
        var command = string.Join(' ', Sequence(init, "entrypoint"));
        var script = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "sql", "init.sql"));

        Assert.StartsWith("mcr.microsoft.com/mssql/server:2022", Scalar(init, "image"));
        Assert.Contains("sqlcmd", command);
        Assert.Contains("-b", Sequence(init, "entrypoint"));
        Assert.Contains("./deploy/sql:/deploy/sql:ro", Sequence(init, "volumes"));
        Assert.Equal("service_healthy", Scalar((YamlMappingNode)((YamlMappingNode)init["depends_on"])["sqlserver"], "condition"));
        foreach (var service in AppServices)
        {
            var login = $"openbanking_{service}";
            var database = $"OpenBanking{ProjectName(service)}";
            var password = $"{service.ToUpperInvariant()}_DB_PASSWORD";
            Assert.Contains($"{password}=${{{password}:?", command);
            Assert.Contains($"CREATE DATABASE [{database}]", script);
            Assert.Contains($"CREATE LOGIN [{login}] WITH PASSWORD = N'$({password})'", script);
            Assert.Contains($"USE [{database}];\nIF USER_ID(N'{login}') IS NULL\n    CREATE USER [{login}] FOR LOGIN [{login}];", script.ReplaceLineEndings("\n"));
            Assert.Equal("service_completed_successfully",
                Scalar((YamlMappingNode)((YamlMappingNode)Service(service)["depends_on"])[DbInit], "condition"));
        }

        // Statements only (comments explain what is left out): the three database roles and nothing more.
        var statements = string.Join('\n', script.ReplaceLineEndings("\n").Split('\n').Where(l => !l.TrimStart().StartsWith("--", StringComparison.Ordinal)));
        var roles = RoleGrant().Matches(statements).Select(m => m.Groups["role"].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.Equal(["db_datareader", "db_datawriter", "db_ddladmin"], roles.Order(StringComparer.OrdinalIgnoreCase));
        Assert.DoesNotContain("SERVER ROLE", statements, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("GRANT", statements, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Sandbox_IsNotPublishedOnTheHost_OnlyExposedToTheOtherServices()
    {
        var sandbox = Service(PlatformServices.Sandbox);

        Assert.False(sandbox.Children.ContainsKey("ports"), "the Sandbox must be reachable only through the gateway");
        Assert.Equal(["8080"], Sequence(sandbox, "expose"));
    }

    [GeneratedRegex(@"ALTER\s+ROLE\s+\[?(?<role>\w+)\]?\s+ADD\s+MEMBER", RegexOptions.IgnoreCase)]
    private static partial Regex RoleGrant();

    [GeneratedRegex(@"User\s*Id\s*=\s*sa\s*(;|$)", RegexOptions.IgnoreCase)]
    private static partial Regex SaLogin();

    [GeneratedRegex(@"User\s*Id\s*=(?<login>[^;]*)", RegexOptions.IgnoreCase)]
    private static partial Regex LoginOf();

    [GeneratedRegex(@"Password\s*=(?<password>[^;]*)", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordOf();

    /// <summary>
    /// References that cannot be waits without a cycle: the Sandbox waits for Identity's keys, while Identity calls the
    /// Sandbox only during a consent journey, long after both are up (as in the AppHost).
    /// </summary>
    private static readonly HashSet<(string From, string To)> LazyReferences = [("identity", "sandbox")];

    [Theory]
    [MemberData(nameof(Services))]
    public void Service_ServiceDiscoveryAddressesPointAtComposeServicesItWaitsFor(string service)
    {
        var environment = Environment(Service(service));
        var waitsFor = DependenciesOf(service);

        foreach (var (key, value) in environment.Where(e => e.Key.StartsWith("services__", StringComparison.Ordinal)))
        {
            var target = key.Split("__")[1];
            Assert.Equal($"http://{target}:{Environment(Service(target))["ASPNETCORE_HTTP_PORTS"]}", value);
            if (!LazyReferences.Contains((service, target)))
            {
                Assert.Contains(target, waitsFor);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void Service_HasAHealthCheckAndWaitsForHealthyDependencies(string service)
    {
        var definition = Service(service);

        var test = Sequence((YamlMappingNode)definition["healthcheck"], "test");
        Assert.Contains("http://localhost:8080/health", test);

        var dependsOn = (YamlMappingNode)definition["depends_on"];
        Assert.Contains(new YamlScalarNode("sqlserver"), dependsOn.Children.Keys);
        Assert.Contains(new YamlScalarNode(DbInit), dependsOn.Children.Keys);
        Assert.All(dependsOn.Children, d =>
        {
            var dependency = ((YamlScalarNode)d.Key).Value!;
            Assert.Contains(dependency, _services.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
            // db-init is a one-shot job: it completes rather than stays healthy.
            Assert.Equal(dependency == DbInit ? "service_completed_successfully" : "service_healthy", Scalar((YamlMappingNode)d.Value, "condition"));
        });
    }

    [Theory]
    [MemberData(nameof(Published))]
    public void PublicService_IsPublishedOnItsDevelopmentPort(string service)
    {
        var ports = Sequence(Service(service), "ports");

        Assert.Equal([$"{PlatformServices.DevelopmentPorts[service]}:8080"], ports);
    }

    private HashSet<string> DependenciesOf(string service)
    {
        var result = new HashSet<string>();
        var pending = new Stack<string>([service]);
        while (pending.TryPop(out var current))
        {
            if (Service(current).Children.TryGetValue("depends_on", out var node))
            {
                foreach (var dependency in ((YamlMappingNode)node).Children.Keys.Select(k => ((YamlScalarNode)k).Value!))
                {
                    if (result.Add(dependency))
                    {
                        pending.Push(dependency);
                    }
                }
            }
        }

        return result;
    }

    private static HashSet<string> KnownKeys(string service)
    {
        var appsettings = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryPaths.Root, "src", ProjectName(service), "appsettings.json"))
            .Build();
        var keys = appsettings.AsEnumerable().Where(pair => pair.Value is not null).Select(pair => pair.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        keys.UnionWith(FrameworkKeys);
        return keys;
    }

    private static string ProjectName(string service) => char.ToUpperInvariant(service[0]) + service[1..];

    private static string ToConfigurationKey(string environmentKey) => environmentKey.Replace("__", ":", StringComparison.Ordinal);

    private YamlMappingNode Service(string name) => (YamlMappingNode)_services[name];

    private static Dictionary<string, string> Environment(YamlMappingNode service)
        => ((YamlMappingNode)service["environment"]).Children
            .ToDictionary(c => ((YamlScalarNode)c.Key).Value!, c => ((YamlScalarNode)c.Value).Value!);

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;

    private static List<string> Sequence(YamlMappingNode node, string key)
        => ((YamlSequenceNode)node[key]).Children.Select(c => ((YamlScalarNode)c).Value!).ToList();
}
