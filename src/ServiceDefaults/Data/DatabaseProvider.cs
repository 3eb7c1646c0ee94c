namespace OpenBanking.ServiceDefaults.Data;

/// <summary>The database engines a service can run on.</summary>
public enum DatabaseProvider
{
    /// <summary>An embedded SQLite file; the default, nothing to install.</summary>
    Sqlite,

    /// <summary>SQL Server, used in production (docker-compose.yml).</summary>
    SqlServer,
}
