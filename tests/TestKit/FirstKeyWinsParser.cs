using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace OpenBanking.TestKit;

/// <summary>
/// A YAML event stream that drops a key repeated in one mapping (and its value), keeping the first. The vendored
/// OBIE v4.0 confirmation-funds YAML repeats <c>pattern</c> in its x-fapi-auth-date parameter (the same value twice);
/// the files are pinned by SHA-256, so the loader tolerates it rather than the file being edited.
/// </summary>
internal sealed class FirstKeyWinsParser(IParser inner) : IParser
{
    private sealed class Frame(bool mapping)
    {
        public bool Mapping { get; } = mapping;
        public bool ExpectingKey { get; set; } = true;
        public HashSet<string> Keys { get; } = [];
    }

    private readonly Stack<Frame> _frames = new();

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        while (inner.MoveNext())
        {
            var current = inner.Current!;
            if (_frames.TryPeek(out var frame) && frame.Mapping && frame.ExpectingKey && current is Scalar key && !frame.Keys.Add(key.Value))
            {
                SkipValue();
                continue;
            }

            Track(current);
            return true;
        }

        return false;
    }

    private void Track(ParsingEvent current)
    {
        switch (current)
        {
            case MappingStart:
                _frames.Push(new Frame(mapping: true));
                break;
            case SequenceStart:
                _frames.Push(new Frame(mapping: false));
                break;
            case MappingEnd or SequenceEnd:
                _frames.Pop();
                ValueEnded();
                break;
            case Scalar or AnchorAlias:
                if (_frames.TryPeek(out var frame) && frame.Mapping && frame.ExpectingKey)
                {
                    frame.ExpectingKey = false;
                }
                else
                {
                    ValueEnded();
                }

                break;
        }
    }

    /// <summary>The enclosing mapping's value is complete: the next scalar is a key again.</summary>
    private void ValueEnded()
    {
        if (_frames.TryPeek(out var frame) && frame.Mapping)
        {
            frame.ExpectingKey = true;
        }
    }

    /// <summary>Skips the value of a dropped key: one scalar or alias, or a whole nested structure.</summary>
    private void SkipValue()
    {
        var depth = 0;
        while (inner.MoveNext())
        {
            switch (inner.Current)
            {
                case MappingStart or SequenceStart:
                    depth++;
                    break;
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
            }

            if (depth == 0)
            {
                return;
            }
        }
    }
}
