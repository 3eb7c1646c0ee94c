using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using OpenBanking.ServiceDefaults.Data;

namespace OpenBanking.Platform.Tests;

/// <summary>
/// Every service's model matches its latest migration on both providers (a forgotten migration fails here), and
/// the SQL Server idempotent script, what production runs, generates without a server.
/// </summary>
public sealed class MigrationTests
{
    public static TheoryData<string, DatabaseProvider> Contexts()
    {
        var data = new TheoryData<string, DatabaseProvider>();
        foreach (var name in ContextTypes.Keys)
        {
            data.Add(name, DatabaseProvider.Sqlite);
            data.Add(name, DatabaseProvider.SqlServer);
        }

        return data;
    }

    private static readonly Dictionary<string, (Type Sqlite, Type SqlServer)> ContextTypes = new()
    {
        ["Identity"] = (typeof(Identity.Infrastructure.SqliteIdentityDbContext), typeof(Identity.Infrastructure.SqlServerIdentityDbContext)),
        ["Sandbox"] = (typeof(Sandbox.Infrastructure.SqliteSandboxDbContext), typeof(Sandbox.Infrastructure.SqlServerSandboxDbContext)),
        ["Gateway"] = (typeof(Gateway.Infrastructure.SqliteGatewayDbContext), typeof(Gateway.Infrastructure.SqlServerGatewayDbContext)),
        ["Portal"] = (typeof(Portal.Infrastructure.SqlitePortalDbContext), typeof(Portal.Infrastructure.SqlServerPortalDbContext)),
    };

    [Theory]
    [MemberData(nameof(Contexts))]
    public void Model_HasNoChangesMissingFromTheMigrations(string service, DatabaseProvider provider)
    {
        using var context = Create(service, provider);

        Assert.NotEmpty(context.Database.GetMigrations());
        Assert.False(context.Database.HasPendingModelChanges(),
            $"{service} on {provider}: the model changed without a migration; run scripts/add-migration.sh {service} <Name>");
    }

    [Theory]
    [MemberData(nameof(Contexts))]
    public void Migrations_AreTheProvidersOwn(string service, DatabaseProvider provider)
    {
        using var context = Create(service, provider);
        var expectedNamespace = $"OpenBanking.{service}.Migrations.{provider}";

        var migrations = context.GetService<IMigrationsAssembly>().Migrations;

        Assert.NotEmpty(migrations);
        Assert.All(migrations.Values, type => Assert.Equal(expectedNamespace, type.Namespace));
    }

    [Theory]
    [InlineData("Identity")]
    [InlineData("Sandbox")]
    [InlineData("Gateway")]
    [InlineData("Portal")]
    public void SqlServerIdempotentScript_Generates_AndGuardsEveryMigration(string service)
    {
        using var context = Create(service, DatabaseProvider.SqlServer);
        var migrations = context.Database.GetMigrations().ToList();

        var script = context.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("CREATE TABLE", script);
        Assert.Contains("[__EFMigrationsHistory]", script);
        Assert.All(migrations, id => Assert.Contains($"WHERE [MigrationId] = N'{id}'", script));
        Assert.DoesNotContain("AUTOINCREMENT", script); // a SQLite-only construct leaking into SQL Server
    }

    private static DbContext Create(string service, DatabaseProvider provider)
    {
        var type = provider == DatabaseProvider.SqlServer ? ContextTypes[service].SqlServer : ContextTypes[service].Sqlite;
        // No connection is opened: model comparison and script generation work offline.
        var connectionString = provider == DatabaseProvider.SqlServer
            ? "Server=unreachable.invalid;Database=x;User Id=x;Password=x;TrustServerCertificate=true"
            : "Data Source=:memory:";
        var optionsType = typeof(DbContextOptionsBuilder<>).MakeGenericType(type);
        var builder = (DbContextOptionsBuilder)Activator.CreateInstance(optionsType)!;
        builder.UseServiceDatabase(new DatabaseSettings(provider, connectionString));
        return (DbContext)Activator.CreateInstance(type, builder.Options)!;
    }
}
