using Infera.NodeAgent.Backends;

namespace Infera.EndToEndTests.Backends;

/// <summary>Reads whole backend streams in tests, bounded by a timeout.</summary>
internal static class Chunks
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static async Task<List<BackendChunk>> CollectAsync(IInferenceBackend backend, BackendRequest request)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var chunks = new List<BackendChunk>();
        await foreach (var chunk in backend.StreamChatAsync(request, timeout.Token))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    public static string Text(IEnumerable<BackendChunk> chunks) => string.Concat(chunks.OfType<BackendText>().Select(t => t.Text));
}
