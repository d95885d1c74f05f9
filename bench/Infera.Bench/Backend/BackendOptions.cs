namespace Infera.Bench.Backend;

/// <summary>The simulated OpenAI-compatible backend's pace and size of answers.</summary>
internal sealed record BackendOptions(string Model, TimeSpan TimeToFirstToken, double TokensPerSecond, int TokensPerCompletion)
{
    /// <summary>The benchmark's workload: 20 ms to the first token, then 100 tokens/s, 32 tokens per answer.</summary>
    public static BackendOptions Default { get; } = new("bench-model", TimeSpan.FromMilliseconds(20), 100, 32);

    public TimeSpan StreamDuration => TimeToFirstToken + TimeSpan.FromSeconds((TokensPerCompletion - 1) / TokensPerSecond);

    public IEnumerable<string> ToArguments(int port) =>
    [
        "backend",
        "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--model", Model,
        "--ttft-ms", TimeToFirstToken.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--tokens-per-second", TokensPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--tokens", TokensPerCompletion.ToString(System.Globalization.CultureInfo.InvariantCulture),
    ];
}
