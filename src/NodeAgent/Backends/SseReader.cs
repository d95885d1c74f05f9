using System.Runtime.CompilerServices;
using System.Text;

namespace Infera.NodeAgent.Backends;

/// <summary>
/// Yields the data of each Server-Sent Event in a body, following the WHATWG event-stream parsing rules: events end at a
/// blank line, "data" lines join with "\n", one space after the colon is dropped, comments (":") and other fields are
/// ignored, and an event cut off by the end of the body is discarded.
/// </summary>
internal static class SseReader
{
    public static async IAsyncEnumerable<string> ReadDataAsync(
        Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new BackendStreamReader(body);
        var data = new StringBuilder();
        var hasData = false;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (hasData)
                {
                    yield return data.ToString();
                }

                data.Clear();
                hasData = false;
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            if (!string.Equals(field, "data", StringComparison.Ordinal))
            {
                continue;
            }

            var value = colon < 0 ? string.Empty : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            if (hasData)
            {
                data.Append('\n');
            }

            data.Append(value);
            hasData = true;
        }
    }
}
