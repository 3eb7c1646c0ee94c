// Lets tests host the service with WebApplicationFactory<Program>.
public partial class Program;

namespace OpenBanking.Identity
{
    /// <summary>Names this assembly for WebApplicationFactory when a test project hosts several services.</summary>
    public sealed class IdentityAppMarker;
}
