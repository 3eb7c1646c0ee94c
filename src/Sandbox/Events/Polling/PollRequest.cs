using System.Text.Json;
using OpenBanking.Sandbox.OpenBanking;

namespace OpenBanking.Sandbox.Events.Polling;

/// <summary>A partner's negative acknowledgement of one SET (an IANA "Security Event Token Delivery Error Code" and words).</summary>
public sealed record SetError(string Err, string Description);

/// <summary>
/// <c>OBEventPolling1</c>: how many SETs to return (null: the bank's ceiling), whether to wait for one (null: the
/// default, see <see cref="EventPolling"/>), and the SETs the partner acknowledges or refuses.
/// </summary>
public sealed record PollRequest(int? MaxEvents, bool? ReturnImmediately, IReadOnlyList<string> Ack, IReadOnlyDictionary<string, SetError> SetErrs)
{
    public const int MaxJtiLength = 128;

    /// <summary>Acknowledgements in one poll, ack and setErrs together (our limit: a poll returns at most the ceiling anyway).</summary>
    public const int MaxAcknowledgements = 1000;

    /// <summary>Reads the top-level object (no Data wrapper) and collects every problem at once.</summary>
    public static PollRequest Parse(JsonElement root)
    {
        var v = new ObieValidator();
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw ObieException.BadRequest(new ObError(ObieErrorCodes.FieldInvalid, "The body must be a JSON object, e.g. {\"maxEvents\": 10, \"returnImmediately\": true}."));
        }

        foreach (var property in root.EnumerateObject().Where(p => p.Name is not ("maxEvents" or "returnImmediately" or "ack" or "setErrs")))
        {
            v.Add(ObieErrorCodes.FieldUnexpected, $"'{Shorten(property.Name)}' is not allowed here; the members are maxEvents, returnImmediately, ack and setErrs.", Shorten(property.Name));
        }

        int? maxEvents = null;
        if (root.TryGetProperty("maxEvents", out var max))
        {
            if (max.ValueKind != JsonValueKind.Number || !max.TryGetInt64(out var value))
            {
                v.Add(ObieErrorCodes.FieldInvalid, "maxEvents must be a whole number.", "maxEvents");
            }
            else if (value < 0)
            {
                v.Add(ObieErrorCodes.FieldInvalid, "maxEvents must be zero or more (zero returns no events, only records acknowledgements).", "maxEvents");
            }
            else
            {
                // Anything above the bank's ceiling gets the ceiling, however large.
                maxEvents = (int)Math.Min(value, int.MaxValue);
            }
        }

        bool? returnImmediately = null;
        if (root.TryGetProperty("returnImmediately", out var immediately))
        {
            if (immediately.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                returnImmediately = immediately.GetBoolean();
            }
            else
            {
                v.Add(ObieErrorCodes.FieldInvalid, "returnImmediately must be true or false.", "returnImmediately");
            }
        }

        var ack = new List<string>();
        if (root.TryGetProperty("ack", out var acks))
        {
            if (acks.ValueKind != JsonValueKind.Array)
            {
                v.Add(ObieErrorCodes.FieldInvalid, "ack must be an array of jti values.", "ack");
            }
            else
            {
                var index = 0;
                foreach (var item in acks.EnumerateArray())
                {
                    var path = $"ack[{index++}]";
                    if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 and <= MaxJtiLength } jti)
                    {
                        v.Add(ObieErrorCodes.FieldInvalid, $"Each ack entry must be a jti: a string of 1 to {MaxJtiLength} characters.", path);
                    }
                    else
                    {
                        ack.Add(jti);
                    }
                }
            }
        }

        var setErrs = new Dictionary<string, SetError>(StringComparer.Ordinal);
        if (root.TryGetProperty("setErrs", out var errs))
        {
            if (errs.ValueKind != JsonValueKind.Object)
            {
                v.Add(ObieErrorCodes.FieldInvalid, "setErrs must be an object: each member a jti, its value {\"err\": …, \"description\": …}.", "setErrs");
            }
            else
            {
                foreach (var entry in errs.EnumerateObject())
                {
                    var path = $"setErrs.{Shorten(entry.Name)}";
                    if (entry.Name.Length is 0 or > MaxJtiLength)
                    {
                        v.Add(ObieErrorCodes.FieldInvalid, $"Each setErrs member must be named by a jti of 1 to {MaxJtiLength} characters.", path);
                        continue;
                    }

                    if (entry.Value.ValueKind != JsonValueKind.Object)
                    {
                        v.Add(ObieErrorCodes.FieldInvalid, "Each setErrs entry must be an object with err and description.", path);
                        continue;
                    }

                    var err = v.String(entry.Value, "err", path + ".err", required: true, 40);
                    var description = v.String(entry.Value, "description", path + ".description", required: true, 256);
                    if (err is not null && description is not null)
                    {
                        setErrs[entry.Name] = new SetError(err, description);
                    }
                }
            }
        }

        if (ack.Count + setErrs.Count > MaxAcknowledgements)
        {
            v.Add(ObieErrorCodes.FieldInvalid, $"One poll may acknowledge at most {MaxAcknowledgements} SETs (ack and setErrs together).", "ack");
        }

        v.ThrowIfAny();
        return new PollRequest(maxEvents, returnImmediately, ack, setErrs);
    }

    private static string Shorten(string value) => value.Length <= 128 ? value : value[..128] + "…";
}
