namespace OpenBanking.Portal.Platform;

/// <summary>An internal service refused or failed a request the Portal made on a user's behalf.</summary>
public sealed class PlatformServiceException(string message, IReadOnlyDictionary<string, string[]>? errors = null) : Exception(message)
{
    /// <summary>Field errors of a 400 validation problem, by field name.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors ?? new Dictionary<string, string[]>();
}
