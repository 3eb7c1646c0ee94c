using Microsoft.Extensions.Configuration;

namespace OpenBanking.ServiceDefaults.Data;

/// <summary>
/// Where a service's database lives, resolved from configuration:
/// <c>Database:Provider</c> (<c>Sqlite</c> by default, or <c>SqlServer</c>) and
/// <c>ConnectionStrings:{name}</c>. Without a connection string, SQLite uses
/// <c>{content root}/data/{file}.db</c>; SQL Server always needs one.
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    /// <summary>The configuration key that selects the provider.</summary>
    public const string ProviderKey = "Database:Provider";

    /// <summary>The folder, under the content root, that holds the SQLite files (git ignores it).</summary>
    public const string DataDirectoryKey = "Database:DataDirectory";

    /// <summary>Reads the settings of the database called <paramref name="connectionName"/>.</summary>
    /// <exception cref="InvalidOperationException">The provider is unknown, or SQL Server has no connection string.</exception>
    public static DatabaseSettings Resolve(IConfiguration configuration, string connectionName, string contentRootPath)
    {
        var providerName = configuration[ProviderKey];
        var provider = DatabaseProvider.Sqlite;
        if (!string.IsNullOrWhiteSpace(providerName) && !Enum.TryParse(providerName, ignoreCase: true, out provider))
        {
            throw new InvalidOperationException(
                $"'{ProviderKey}' is '{providerName}'; expected one of: {string.Join(", ", Enum.GetNames<DatabaseProvider>())}.");
        }

        var connectionString = configuration.GetConnectionString(connectionName);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new DatabaseSettings(provider, connectionString);
        }

        if (provider == DatabaseProvider.SqlServer)
        {
            throw new InvalidOperationException(
                $"'{ProviderKey}' is SqlServer but 'ConnectionStrings:{connectionName}' is not set.");
        }

        var directory = Path.GetFullPath(configuration[DataDirectoryKey] ?? "data", contentRootPath);
        var fileName = connectionName.EndsWith("Db", StringComparison.Ordinal) ? connectionName[..^2] : connectionName;
        var path = Path.Combine(directory, fileName.ToLowerInvariant() + ".db");
        return new DatabaseSettings(provider, $"Data Source={path}");
    }
}
