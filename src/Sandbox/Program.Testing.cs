// Lets tests host the service with WebApplicationFactory<Program>.
public partial class Program;

namespace OpenBanking.Sandbox
{
    /// <summary>Names this assembly for WebApplicationFactory when a test project hosts several services.</summary>
    public sealed class SandboxAppMarker;
}
