namespace OpenBanking.Sandbox.Customers.Custom;

/// <summary>
/// A partner's own test customer as it was asked for (the request's JSON): kept so that a tenant reset, which
/// regenerates the bank, can make the customer again exactly as before. Deleting the customer deletes its definition.
/// </summary>
public sealed class CustomCustomerDefinition
{
    public long Id { get; set; }

    public Guid TenantId { get; set; }

    public required string Username { get; set; }

    public required string CustomerId { get; set; }

    /// <summary>The request, as JSON (<see cref="CustomCustomerRequest"/>).</summary>
    public required string Definition { get; set; }

    /// <summary>The tenant clock's time when it was made: the history is made again as of then.</summary>
    public DateTime AsOf { get; set; }

    /// <summary>The app that made it through <c>/sandbox/v1/customers</c>; null when made in the Portal.</summary>
    public string? CreatedByClientId { get; set; }

    public DateTime CreatedAt { get; set; }
}
