namespace OpenBanking.Platform.Tests;

internal static class RepositoryPaths
{
    /// <summary>The repository root: the folder above this test's output that holds OpenBanking.sln.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "OpenBanking.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("OpenBanking.sln not found above " + AppContext.BaseDirectory);
    }
}
