namespace Infera.Bench.EndToEnd;

/// <summary>Everything part 1 measured, as written to e2e.json and read back by the report.</summary>
internal sealed record EndToEndResults
{
    public required double BackendTtftMs { get; init; }

    public required double BackendTokensPerSecond { get; init; }

    public required int TokensPerStream { get; init; }

    public required int Agents { get; init; }

    public required bool Quick { get; init; }

    public required List<ModeInfo> Modes { get; init; }

    public required List<PhaseResult> Phases { get; init; }

    public List<string> Notes { get; init; } = [];
}

/// <summary>A way of serving, and why it was skipped if it was.</summary>
internal sealed record ModeInfo(string Mode, string Description, string? Skipped);
