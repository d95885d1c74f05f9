namespace Infera.Simulation;

/// <summary>Runs scenarios of honest nodes against adversaries through the real job, verification and trust code.</summary>
public static class AdversarySimulation
{
    /// <summary>Runs one scenario to the end; the same scenario always gives the same result.</summary>
    public static ScenarioResult Run(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentOutOfRangeException.ThrowIfLessThan(scenario.Nodes, 3);
        ArgumentOutOfRangeException.ThrowIfNegative(scenario.Jobs);
        ArgumentOutOfRangeException.ThrowIfLessThan(scenario.MeanLatencyTicks, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(scenario.AdversaryCount, scenario.Nodes);
        return SimulatedNetwork.Run(scenario);
    }
}
