using Infera.Bench.Backend;

namespace Infera.Bench.EndToEnd;

/// <summary>
/// The end-to-end workload. Streams per level are sized for a stable p99 while the whole part (four ways, three
/// levels) stays within about nine minutes on a 2-core machine: 150 streams at 1 (about 50 s per way), 32 rounds at
/// 64 (about 11 s: a 3 s phase moved by a third from run to run on this shared machine), 3 rounds at 512.
/// </summary>
internal sealed record EndToEndSettings(IReadOnlyList<int> Levels, IReadOnlyDictionary<int, int> Streams, int WarmupStreams, BackendOptions Backend, bool Quick)
{
    public static EndToEndSettings Full { get; } = new([1, 64, 512], new Dictionary<int, int> { [1] = 150, [64] = 2048, [512] = 1536 }, 512, BackendOptions.Default, Quick: false);

    /// <summary>For checking the harness: the same levels, a fraction of the streams.</summary>
    public static EndToEndSettings Reduced { get; } = new([1, 64, 512], new Dictionary<int, int> { [1] = 20, [64] = 128, [512] = 512 }, 256, BackendOptions.Default, Quick: true);

    /// <summary>The ways to run (A always runs: the others are compared with it).</summary>
    public string Modes { get; init; } = "ABCD";

    public bool Runs(string mode) => mode == "A" || Modes.Contains(mode, StringComparison.OrdinalIgnoreCase);

    public int StreamsAt(int concurrency) => Streams.TryGetValue(concurrency, out var n) ? n : Math.Max(200, 4 * concurrency);
}
