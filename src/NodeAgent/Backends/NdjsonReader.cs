using System.Runtime.CompilerServices;

namespace Infera.NodeAgent.Backends;

/// <summary>Splits a newline-delimited JSON body (Ollama's streaming format) into its JSON lines, as they arrive.</summary>
internal static class NdjsonReader
{
    public static async IAsyncEnumerable<string> ReadLinesAsync(
        Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new BackendStreamReader(body);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return line;
            }
        }
    }
}
