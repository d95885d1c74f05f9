namespace Infera.Reputation;

/// <summary>How reputation moves. Section <c>Infera:Reputation</c>.</summary>
public sealed class ReputationOptions
{
    /// <summary>Where a node never seen before starts, out of 100: low trust until it has shown agreement. Default 50.</summary>
    public double Initial { get; set; } = 50;

    /// <summary>Weight of one outcome in the moving average. Default 0.1 (about the last 10 jobs dominate).</summary>
    public double Alpha { get; set; } = 0.1;
}
