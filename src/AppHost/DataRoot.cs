namespace OpenBanking.AppHost;

internal static class DataRoot
{
    /// <summary>
    /// With <c>--DataRoot=/some/folder</c> (or <c>DataRoot</c> in configuration) every service keeps its database
    /// in a sub-folder there instead of src/&lt;Service&gt;/data; the end-to-end tests use it to start clean.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDataRoot(
        this IResourceBuilder<ProjectResource> project, IDistributedApplicationBuilder builder)
    {
        var root = builder.Configuration["DataRoot"];
        return string.IsNullOrWhiteSpace(root)
            ? project
            : project.WithEnvironment("Database__DataDirectory", Path.Combine(root, project.Resource.Name));
    }
}
