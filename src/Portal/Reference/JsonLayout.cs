using System.Text;

namespace OpenBanking.Portal.Reference;

/// <summary>
/// Indents JSON text by changing only the whitespace between tokens: every string, number and escape stays exactly as
/// the server wrote it (a serialiser would re-escape, e.g. <c>+00:00</c> as <c>\u002B00:00</c>, or unescape).
/// </summary>
public static class JsonLayout
{
    public static string Indent(string json, int width = 2)
    {
        var output = new StringBuilder(json.Length + json.Length / 4);
        var depth = 0;
        var inString = false;
        var escaped = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                output.Append(c);
                if (escaped)
                {
                    escaped = false;
                }
                else if (c == '\\')
                {
                    escaped = true;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    output.Append(c);
                    break;
                case '{' or '[':
                    output.Append(c);
                    // An empty object or array stays on one line: {} and [].
                    var next = NextToken(json, i + 1);
                    if (next is '}' or ']')
                    {
                        break;
                    }

                    depth++;
                    NewLine(output, depth, width);
                    break;
                case '}' or ']':
                    if (output.Length > 0 && output[^1] is not '{' and not '[')
                    {
                        depth = Math.Max(0, depth - 1);
                        NewLine(output, depth, width);
                    }

                    output.Append(c);
                    break;
                case ',':
                    output.Append(c);
                    NewLine(output, depth, width);
                    break;
                case ':':
                    output.Append(": ");
                    break;
                case ' ' or '\t' or '\r' or '\n':
                    // Whitespace between tokens is the only thing replaced.
                    break;
                default:
                    output.Append(c);
                    break;
            }
        }

        return output.ToString();
    }

    private static char? NextToken(string json, int from)
    {
        for (var i = from; i < json.Length; i++)
        {
            if (json[i] is not (' ' or '\t' or '\r' or '\n'))
            {
                return json[i];
            }
        }

        return null;
    }

    private static void NewLine(StringBuilder output, int depth, int width) => output.Append('\n').Append(' ', depth * width);
}
