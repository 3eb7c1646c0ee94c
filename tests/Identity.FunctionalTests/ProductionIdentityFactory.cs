using OpenBanking.TestKit;

namespace OpenBanking.Identity.FunctionalTests;

/// <summary>
/// Identity outside Development (the Production environment) with the settings production must supply: a service
/// client secret for the Portal, an SMTP server and the key that encrypts Data Protection keys. <see cref="WithSetting"/> can take any of them away again.
/// </summary>
public sealed class ProductionIdentityFactory : ServiceFactory<Program>
{
    public const string PortalServiceSecret = "portal-service-production-secret-0123456789";

    public ProductionIdentityFactory()
    {
        WithSetting("environment", "Production");
        WithSetting("Identity:ServiceClients:portal-service:Secret", PortalServiceSecret);
        WithSetting("Identity:Smtp:Host", "127.0.0.1");
        WithSetting("Identity:Smtp:Port", "2525");
        WithSetting("Identity:Smtp:Security", "None");
        WithSetting("Identity:Smtp:From", "Open Banking <no-reply@bank.example>");
        WithSetting("DataProtection:KeyEncryptionKey", Convert.ToBase64String(new byte[32]));
    }
}
