namespace OpenBanking.Portal.Partners;

/// <summary>The Portal's refusal of an action, with a message written for the person who asked: pages show it as it is.</summary>
public abstract class PortalRefusalException(string message) : Exception(message);

/// <summary>The signed-in person may not do this (checked on the server for every action).</summary>
public sealed class PortalForbiddenException(string message) : PortalRefusalException(message);

/// <summary>The thing asked for does not exist for this person (another organisation's data looks the same: absent).</summary>
public sealed class PortalNotFoundException(string message) : PortalRefusalException(message);

/// <summary>Input that cannot be accepted, every failing field named.</summary>
public sealed class PortalValidationException(IReadOnlyDictionary<string, string[]> errors)
    : PortalRefusalException(string.Join(" ", errors.SelectMany(e => e.Value)))
{
    public PortalValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] })
    {
    }

    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}
