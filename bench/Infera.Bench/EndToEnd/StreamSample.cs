namespace Infera.Bench.EndToEnd;

/// <summary>What one streamed completion looked like to the client; times in Stopwatch ticks.</summary>
internal sealed record StreamSample(int Worker, long StartedAt, long EndedAt, long? FirstTokenTicks, List<long> GapTicks, int ContentEvents, string? Error, string? JobId)
{
    public bool Ok => Error is null;
}
