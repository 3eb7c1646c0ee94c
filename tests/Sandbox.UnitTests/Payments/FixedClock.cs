using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenBanking.Sandbox.Clock;

namespace OpenBanking.Sandbox.UnitTests.Payments;

/// <summary>A tenant clock standing still at one instant: outside a request it reads the base clock, this one.</summary>
internal static class FixedClock
{
    private static readonly IServiceScopeFactory NoServices = new ServiceCollection().BuildServiceProvider().GetRequiredService<IServiceScopeFactory>();

    public static TenantClock At(DateTime utcNow) => new(new TenantClocks(new Fixed(utcNow), NoServices), new HttpContextAccessor());

    private sealed class Fixed(DateTime utcNow) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(utcNow, TimeSpan.Zero);
    }
}
