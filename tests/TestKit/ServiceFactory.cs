using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;

namespace OpenBanking.TestKit;

/// <summary>
/// Hosts one service in memory, in Development (so seeders run), on a real SQLite database in a folder of its
/// own that is deleted afterwards. Share one per test class or collection: start-up applies the migrations.
/// </summary>
public class ServiceFactory<TEntryPoint> : WebApplicationFactory<TEntryPoint> where TEntryPoint : class
{
    private readonly Dictionary<string, string?> _settings = new();

    public ServiceFactory()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "openbanking-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        _settings["Database:DataDirectory"] = DataDirectory;
    }

    /// <summary>The folder holding this instance's database files (and any keys the service generates).</summary>
    public string DataDirectory { get; }

    /// <summary>Sets a configuration value before the host starts.</summary>
    public ServiceFactory<TEntryPoint> WithSetting(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environments.Development);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open elsewhere; the OS temp cleaner gets it.
            }
        }
    }
}
