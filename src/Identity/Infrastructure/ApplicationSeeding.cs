using OpenIddict.Abstractions;

namespace OpenBanking.Identity.Infrastructure;

/// <summary>The seeders' one way to keep a client as configured.</summary>
internal static class ApplicationSeeding
{
    /// <summary>
    /// Creates the client with <paramref name="secret"/>, or brings an existing one to what <paramref name="configure"/>
    /// makes of its current descriptor — its secret kept (rotating is the client management API's job).
    /// </summary>
    public static async Task EnsureAsync(
        this IOpenIddictApplicationManager applications, string clientId, string secret,
        Action<OpenIddictApplicationDescriptor> configure, CancellationToken cancellationToken)
    {
        var existing = await applications.FindByClientIdAsync(clientId, cancellationToken);
        var descriptor = new OpenIddictApplicationDescriptor();
        if (existing is not null)
        {
            await applications.PopulateAsync(descriptor, existing, cancellationToken);
        }

        descriptor.ClientId = clientId;
        configure(descriptor);
        if (existing is null)
        {
            descriptor.ClientSecret = secret;
            await applications.CreateAsync(descriptor, cancellationToken);
        }
        else
        {
            await applications.UpdateAsync(existing, descriptor, cancellationToken);
        }
    }
}
