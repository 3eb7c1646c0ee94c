using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using System.Text.Json;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Tenancy;
using OpenBanking.Shared;

namespace OpenBanking.Sandbox.Clock;

/// <summary>
/// The tenant's test clock as an API: <c>/sandbox/v1/clock</c> for the partner's own tests (through the gateway,
/// with any of the app's client-credentials tokens), and <c>/internal/tenants/{organisationId}/clock</c> for the
/// Portal's Sandbox page (with the preview of what falls due on the way). Errors are problem details.
/// </summary>
public static class ClockApi
{
    public const string PublicPath = "/sandbox/v1/clock";

    /// <summary>How many upcoming events a preview lists at most.</summary>
    public const int PreviewLimit = 200;

    /// <summary>The clock as the API shows it.</summary>
    /// <param name="Now">RFC 3339, UTC, whole seconds.</param>
    public sealed record ClockView(string Now, bool Frozen);

    /// <summary>One move: exactly one of the three.</summary>
    /// <param name="Advance">An ISO 8601 duration, e.g. "P1D", "PT6H", "P1M" (a calendar month from now).</param>
    /// <param name="Set">An RFC 3339 instant at or after now.</param>
    /// <param name="Freeze">true stops the clock where it is; false lets it run on from there.</param>
    public sealed record ClockMove(string? Advance, string? Set, bool? Freeze);

    /// <summary>The clock after a move, with what the move did on the way.</summary>
    public sealed record ClockMoved(string Now, bool Frozen, string? From = null, int? Ran = null);

    public sealed record ClockPreview(string Now, bool Frozen, string Until, IReadOnlyList<ClockEvent> Events, bool More);

    public static IEndpointRouteBuilder MapClockApi(this IEndpointRouteBuilder app)
    {
        var partner = app.MapGroup(PublicPath).WithTags("Sandbox clock")
            .RequireAuthorization(SandboxControl);
        partner.MapGet("", GetForCallerAsync).WithName("GetSandboxClock");
        partner.MapPost("", MoveForCallerAsync).WithName("MoveSandboxClock");

        var internalApi = app.MapGroup("/internal/tenants/{organisationId}/clock").WithTags("Internal")
            .RequireAuthorization(PlatformScopes.SandboxInternal);
        internalApi.MapGet("", GetAsync).WithName("GetTenantClock");
        internalApi.MapPost("", MoveAsync).WithName("MoveTenantClock");
        internalApi.MapGet("/preview", PreviewAsync).WithName("PreviewTenantClock");
        return app;
    }

    /// <summary>The policy of the partner's clock API: a client-credentials token of the bank's APIs, any scope.</summary>
    public const string SandboxControl = "sandbox:control";

    public static async Task<Ok<ClockView>> GetForCallerAsync(HttpContext http, TenantService tenants, TenantClocks clocks, CancellationToken ct)
        => await GetAsync(Caller(http).OrganisationId, tenants, clocks, ct);

    public static async Task<Results<Ok<ClockMoved>, ProblemHttpResult>> MoveForCallerAsync(
        HttpContext http, TenantService tenants, TenantClocks clocks, ClockAdvance advance, CancellationToken ct)
        => await MoveAsync(Caller(http).OrganisationId, http, tenants, clocks, advance, ct);

    public static async Task<Ok<ClockView>> GetAsync(string organisationId, TenantService tenants, TenantClocks clocks, CancellationToken ct)
    {
        var tenant = await tenants.GetOrCreateAsync(organisationId, ct);
        var state = clocks.Get(tenant.Id)!;
        return TypedResults.Ok(new ClockView(ClockAdvance.Rfc3339(state.Now(clocks.RealTime.GetUtcNow())), state.Frozen));
    }

    public static async Task<Results<Ok<ClockMoved>, ProblemHttpResult>> MoveAsync(
        string organisationId, HttpContext http, TenantService tenants, TenantClocks clocks, ClockAdvance advance, CancellationToken ct)
    {
        var (move, unreadable) = await ReadMoveAsync(http.Request, ct);
        if (unreadable is not null)
        {
            return Problem(unreadable);
        }

        var given = new[] { move?.Advance is not null, move?.Set is not null, move?.Freeze is not null }.Count(x => x);
        if (move is null || given != 1)
        {
            return Problem("Send exactly one of Advance (an ISO 8601 duration such as \"P1D\"), Set (an RFC 3339 time) or Freeze (true or false).");
        }

        var tenant = await tenants.GetOrCreateAsync(organisationId, ct);
        var state = clocks.Get(tenant.Id)!;
        try
        {
            if (move.Freeze is { } freeze)
            {
                var frozen = await advance.FreezeAsync(state, freeze, ct);
                return TypedResults.Ok(new ClockMoved(ClockAdvance.Rfc3339(frozen.Now(clocks.RealTime.GetUtcNow())), frozen.Frozen));
            }

            var now = state.Now(clocks.RealTime.GetUtcNow());
            DateTimeOffset target;
            if (move.Advance is { } duration)
            {
                if (!TryParseDuration(duration, now, out target, out var error))
                {
                    return Problem(error);
                }
            }
            else if (!DateTimeOffset.TryParse(move.Set, CultureInfo.InvariantCulture, DateTimeStyles.None, out target)
                || !move.Set!.Contains('T', StringComparison.Ordinal))
            {
                return Problem($"Set must be an RFC 3339 date and time with its offset, such as \"{ClockAdvance.Rfc3339(now.AddDays(1))}\"; \"{move.Set}\" is not.");
            }

            var result = await advance.AdvanceToAsync(state, target, ct);
            return TypedResults.Ok(new ClockMoved(ClockAdvance.Rfc3339(result.State.Now(clocks.RealTime.GetUtcNow())), result.State.Frozen,
                ClockAdvance.Rfc3339(result.From), result.Ran));
        }
        catch (ClockMoveException e)
        {
            return Problem(e.Message);
        }
    }

    public static async Task<Results<Ok<ClockPreview>, ProblemHttpResult>> PreviewAsync(
        string organisationId, string? until, TenantService tenants, TenantClocks clocks, ClockAdvance advance, CancellationToken ct)
    {
        var tenant = await tenants.GetOrCreateAsync(organisationId, ct);
        var state = clocks.Get(tenant.Id)!;
        var now = state.Now(clocks.RealTime.GetUtcNow());
        DateTimeOffset end;
        if (until is null)
        {
            end = now.AddMonths(1);
        }
        else if (until.StartsWith('P') ? !TryParseDuration(until, now, out end, out _) : !DateTimeOffset.TryParse(until, CultureInfo.InvariantCulture, DateTimeStyles.None, out end))
        {
            return Problem($"until must be an ISO 8601 duration (\"P1M\") or an RFC 3339 time; \"{until}\" is neither.");
        }

        var events = await advance.PreviewAsync(state, end, PreviewLimit + 1, ct);
        return TypedResults.Ok(new ClockPreview(ClockAdvance.Rfc3339(now), state.Frozen, ClockAdvance.Rfc3339(end),
            events.Take(PreviewLimit).ToList(), events.Count > PreviewLimit));
    }

    /// <summary>
    /// An ISO 8601 duration added to <paramref name="now"/> on the calendar: "P1M" from 31 January is the last day of
    /// February, as a person counts a month. Negative or zero durations are refused.
    /// </summary>
    public static bool TryParseDuration(string text, DateTimeOffset now, out DateTimeOffset target, out string error)
    {
        target = now;
        error = $"Advance must be an ISO 8601 duration such as \"PT1H\", \"P1D\", \"P1W\", \"P1M\" or \"P1Y\"; \"{text}\" is not.";
        var match = System.Text.RegularExpressions.Regex.Match(text,
            @"^P(?:(?<y>\d+)Y)?(?:(?<mo>\d+)M)?(?:(?<w>\d+)W)?(?:(?<d>\d+)D)?(?:T(?:(?<h>\d+)H)?(?:(?<mi>\d+)M)?(?:(?<s>\d+(?:\.\d+)?)S)?)?$",
            System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        if (!match.Success || text is "P" || text.EndsWith('T'))
        {
            return false;
        }

        try
        {
            int Part(string name) => match.Groups[name].Success ? int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
            var seconds = match.Groups["s"].Success ? double.Parse(match.Groups["s"].Value, CultureInfo.InvariantCulture) : 0;
            target = now.AddYears(Part("y")).AddMonths(Part("mo")).AddDays((Part("w") * 7) + Part("d"))
                .AddHours(Part("h")).AddMinutes(Part("mi")).AddSeconds(seconds);
        }
        catch (Exception e) when (e is OverflowException or ArgumentOutOfRangeException)
        {
            error = $"\"{text}\" is too long a move; move at most {ClockAdvance.MaximumMove.TotalDays:0} days at a time.";
            return false;
        }

        if (target <= now)
        {
            error = $"Advance must move the clock forward; \"{text}\" does not. The sandbox clock never moves backwards.";
            return false;
        }

        return true;
    }

    /// <summary>The body as a move, or why it is not one (read here so that a malformed body gets words, not a bare 400).</summary>
    private static async Task<(ClockMove? Move, string? Error)> ReadMoveAsync(HttpRequest request, CancellationToken ct)
    {
        const string Expected = "The body must be JSON such as {\"Advance\": \"P1D\"}, {\"Set\": \"2027-01-01T09:00:00Z\"} or {\"Freeze\": true}";
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            if (body.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, Expected + ".");
            }

            string? advance = null, set = null;
            bool? freeze = null;
            foreach (var property in body.RootElement.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "Advance" when property.Value.ValueKind == JsonValueKind.String:
                        advance = property.Value.GetString();
                        break;
                    case "Set" when property.Value.ValueKind == JsonValueKind.String:
                        set = property.Value.GetString();
                        break;
                    case "Freeze" when property.Value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                        freeze = property.Value.GetBoolean();
                        break;
                    case "Advance" or "Set":
                        return (null, $"{property.Name} must be a string.");
                    case "Freeze":
                        return (null, "Freeze must be true or false.");
                    default:
                        return (null, $"\"{property.Name}\" is not a clock move; the moves are Advance, Set and Freeze.");
                }
            }

            return (new ClockMove(advance, set, freeze), null);
        }
        catch (JsonException)
        {
            return (null, Expected + "; it is not valid JSON.");
        }
    }

    private static CallerContext Caller(HttpContext http) => CallerContext.From(http.User);

    private static ProblemHttpResult Problem(string detail)
        => TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "The sandbox clock cannot move that way");
}
