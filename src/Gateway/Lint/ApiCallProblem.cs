namespace OpenBanking.Gateway.Lint;

/// <summary>
/// One way a logged call broke the OBIE specification of its version, found by the <see cref="SpecLintWorker"/> after the
/// call was written. The call's organisation, app, time and operation are copied so the per-app summary reads one table.
/// </summary>
public sealed class ApiCallProblem
{
    public long Id { get; set; }

    public long CallId { get; set; }

    public string? OrganisationId { get; set; }

    public string? ClientId { get; set; }

    /// <summary>The call's arrival (UTC); retention deletes problems with their calls.</summary>
    public DateTime Timestamp { get; set; }

    /// <summary><c>request</c> or <c>response</c>.</summary>
    public required string Direction { get; set; }

    /// <summary><c>error</c> or <c>warning</c>.</summary>
    public required string Severity { get; set; }

    /// <summary>A stable rule id: <c>header.missing</c>, <c>schema.pattern</c>, <c>schema.required</c>, …</summary>
    public required string Rule { get; set; }

    /// <summary>The dotted JSON path (<c>Data.Initiation.InstructedAmount.Amount</c>) or the header's name.</summary>
    public string? Path { get; set; }

    public required string Message { get; set; }

    public string? ApiVersion { get; set; }

    public required string Method { get; set; }

    public string? RouteTemplate { get; set; }
}
