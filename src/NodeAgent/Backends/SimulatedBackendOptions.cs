namespace Infera.NodeAgent.Backends;

/// <summary>Settings of the simulated backend: which models it claims and how fast it "generates".</summary>
public sealed class SimulatedBackendOptions
{
    /// <summary>Model names to offer; each must contain "simulated". Default: ["simulated-llama-3.2-1b"].</summary>
    public IReadOnlyList<string> Models { get; set; } = ["simulated-llama-3.2-1b"];

    /// <summary>Pause before the first token. Default: 50 ms.</summary>
    public TimeSpan TimeToFirstToken { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Pace after the first token; <see cref="double.PositiveInfinity"/> means no pauses. Default: 200.</summary>
    public double TokensPerSecond { get; set; } = 200;
}
