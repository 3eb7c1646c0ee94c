using Microsoft.Extensions.Configuration;
using OpenBanking.ServiceDefaults.Data;

namespace OpenBanking.Platform.Tests;

public sealed class DatabaseSettingsTests
{
    [Fact]
    public void Resolve_WithNothingConfigured_UsesASqliteFileInTheDataFolderUnderTheContentRoot()
    {
        var settings = DatabaseSettings.Resolve(Config(), "SandboxDb", "/srv/sandbox");

        Assert.Equal(DatabaseProvider.Sqlite, settings.Provider);
        Assert.Equal("Data Source=/srv/sandbox/data/sandbox.db", settings.ConnectionString);
    }

    [Fact]
    public void Resolve_WithADataDirectory_PutsTheFileThere()
    {
        var settings = DatabaseSettings.Resolve(Config(("Database:DataDirectory", "/tmp/x")), "PortalDb", "/srv/portal");

        Assert.Equal("Data Source=/tmp/x/portal.db", settings.ConnectionString);
    }

    [Fact]
    public void Resolve_SqlServerWithAConnectionString_UsesIt()
    {
        var settings = DatabaseSettings.Resolve(
            Config(("Database:Provider", "SqlServer"), ("ConnectionStrings:GatewayDb", "Server=db;Database=g")), "GatewayDb", "/");

        Assert.Equal(new DatabaseSettings(DatabaseProvider.SqlServer, "Server=db;Database=g"), settings);
    }

    [Fact]
    public void Resolve_SqlServerWithoutAConnectionString_FailsNamingTheMissingKey()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => DatabaseSettings.Resolve(Config(("Database:Provider", "SqlServer")), "IdentityDb", "/"));

        Assert.Contains("ConnectionStrings:IdentityDb", error.Message);
    }

    [Fact]
    public void Resolve_UnknownProvider_FailsNamingTheChoices()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => DatabaseSettings.Resolve(Config(("Database:Provider", "Postgres")), "IdentityDb", "/"));

        Assert.Contains("Sqlite, SqlServer", error.Message);
    }

    private static IConfiguration Config(params (string Key, string Value)[] values)
        => new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
}
