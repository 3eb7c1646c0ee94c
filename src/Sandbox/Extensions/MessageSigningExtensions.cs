using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Platform;
using OpenBanking.Sandbox.Signing;

namespace OpenBanking.Sandbox.Extensions;

internal static class MessageSigningExtensions
{
    /// <summary>
    /// Message signing (docs/message-signing.md): the request verifier, the bank's detached-JWS signer and the directory
    /// of apps' keys and requirements, read from Identity.
    /// </summary>
    public static IHostApplicationBuilder AddMessageSigning(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<MessageSigningOptions>(builder.Configuration.GetSection(MessageSigningOptions.SectionName));
        builder.Services.AddHttpClient(IdentityAppSecurityDirectory.HttpClientName);
        builder.Services.AddSingleton<IAppSecurityDirectory, IdentityAppSecurityDirectory>();
        builder.Services.AddSingleton<MessageSignatureVerifier>();
        builder.Services.AddSingleton<DetachedJws>();
        return builder;
    }
}
