using System.CommandLine;
using Infera.Jobs;

namespace Infera.Simulation;

/// <summary><c>infera-sim adversaries</c>: runs the standard scenario set and prints the markdown table.</summary>
internal static class AdversariesCommand
{
    public static Command Create()
    {
        var jobs = new Option<int>("--jobs") { Description = "User jobs per scenario.", DefaultValueFactory = _ => 2000 };
        var nodes = new Option<int>("--nodes") { Description = "Nodes in the network, adversaries included.", DefaultValueFactory = _ => 30 };
        var seed = new Option<int>("--seed") { Description = "Seed of every random choice; the same seed gives the same table.", DefaultValueFactory = _ => 1 };
        var latency = new Option<int>("--mean-latency") { Description = "Mean ticks (500 ms each) a node takes to answer; about this many user jobs are in flight.", DefaultValueFactory = _ => 4 };
        var only = new Option<Adversary[]>("--adversary") { Description = "Run only these adversaries (repeatable).", Arity = ArgumentArity.ZeroOrMore };
        var mode = new Option<VerificationMode[]>("--mode") { Description = "Run only these verification modes (repeatable).", Arity = ArgumentArity.ZeroOrMore };
        var set = new Option<string[]>("--set") { Description = "Override a product option by its silo key, e.g. --set Infera:Verification:Threshold=0.7 (repeatable).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("adversaries", "Honest simulated nodes against each adversary at 10%, 30% and 45% of the nodes, in full and adaptive mode.")
        {
            jobs, nodes, seed, latency, only, mode, set,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var (n, j, l) = (result.GetValue(nodes), result.GetValue(jobs), result.GetValue(latency));
            if (n < 3 || j < 1 || l < 1)
            {
                await Console.Error.WriteLineAsync("infera-sim: --nodes must be >= 3, --jobs >= 1 and --mean-latency >= 1.");
                return 2;
            }

            var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in result.GetValue(set) ?? [])
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    await Console.Error.WriteLineAsync($"infera-sim: --set takes Key=value, not '{pair}'.");
                    return 2;
                }

                settings[pair[..equals]] = pair[(equals + 1)..];
            }

            var adversaries = result.GetValue(only) is { Length: > 0 } a ? a : Enum.GetValues<Adversary>();
            var modes = result.GetValue(mode) is { Length: > 0 } m ? m : Enum.GetValues<VerificationMode>();
            var scenarios = Scenario.Standard(n, j, result.GetValue(seed), l, settings)
                .Where(s => adversaries.Contains(s.Adversary) && modes.Contains(s.Mode))
                .ToList();
            var results = new List<ScenarioResult>(scenarios.Count);
            foreach (var scenario in scenarios)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var r = AdversarySimulation.Run(scenario);
                results.Add(r);
                await Console.Error.WriteLineAsync(
                    $"{scenario.Adversary.Label()} {Format.Percent(scenario.Fraction)} {scenario.Mode}: {r.Elapsed.TotalSeconds:F1} s");
            }

            Console.WriteLine(
                $"{n} nodes, {Format.Count(j)} user jobs per scenario (one per 500 ms), mean answer latency {l} ticks, seed {result.GetValue(seed)}"
                + (settings.Count == 0 ? "." : $", with {string.Join(", ", settings.Select(s => $"{s.Key}={s.Value}"))}."));
            Console.WriteLine();
            Console.WriteLine(ResultTable.Render(results));
            Console.WriteLine($"Targets: {Targets.Summary}.");
            Console.WriteLine();
            Console.WriteLine(ResultTable.RenderDiagnostics(results));
            return 0;
        });
        return command;
    }
}
