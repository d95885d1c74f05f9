using System.Globalization;
using System.Text;
using Infera.Jobs;

namespace Infera.Simulation;

/// <summary>The scenarios' figures as a markdown table, then the targets met or missed per adversary.</summary>
public static class ResultTable
{
    public static string Render(IReadOnlyList<ScenarioResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine("| Adversary | Share | Mode | Adversarial outputs | Detection | Bad answers delivered (undetected) | Honest falsely slashed | Ejected | Jobs until ejected (mean / max) | Node-jobs per user job | Targets |");
        text.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            var s = r.Scenario;
            var missed = Targets.Missed(r);
            text.AppendLine(Row(
                s.Adversary.Label(),
                $"{Format.Percent(s.Fraction)} ({s.AdversaryCount})",
                s.Mode == VerificationMode.Full ? "full" : "adaptive",
                Format.Count(r.AdversarialOutputs),
                r.DetectionRate is { } rate ? Format.Percent(rate, 1) : "n/a",
                $"{Format.Percent(r.BadAnswerRate, 2)} ({Format.Count(r.BadAnswersDeliveredUndetected)})",
                $"{Format.Percent(r.HonestFalseSlashRate, 3)} ({r.HonestSlashes} of {Format.Count(r.HonestNodeJobs)}; {r.HonestNodesSlashed} nodes)",
                $"{r.Ejected}/{r.Adversaries}",
                r.Ejected == 0 ? "—" : $"{Format.Count((int)Math.Round(r.JobsUntilEjected.Average()))} / {Format.Count(r.JobsUntilEjected.Max())}",
                Format.Ratio(r.NodeJobsPerUserJob),
                missed.Count == 0 ? "met" : "missed: " + string.Join("; ", missed)));
        }

        text.AppendLine();
        text.AppendLine("| Adversary | Detection | Honest falsely slashed | Adaptive node-jobs |");
        text.AppendLine("|---|---|---|---|");
        foreach (var group in results.GroupBy(r => r.Scenario.Adversary))
        {
            text.AppendLine(Row(
                group.Key.Label(),
                Verdict(group, Targets.DetectionMet, r => r.DetectionRate is { } d ? Format.Percent(d, 1) : "n/a"),
                Verdict(group, Targets.FalseSlashMet, r => Format.Percent(r.HonestFalseSlashRate, 3)),
                Verdict(group.Where(r => r.Scenario.Mode == VerificationMode.Adaptive), Targets.NodeJobsMet, r => Format.Ratio(r.NodeJobsPerUserJob))));
        }

        return text.ToString();
    }

    /// <summary>Where the undetected outputs were, and what else happened: for diagnosing a missed target.</summary>
    public static string RenderDiagnostics(IReadOnlyList<ScenarioResult> results)
    {
        var text = new StringBuilder();
        var coldStart = Measurement.ColdStartJobs;
        text.AppendLine($"| Adversary | Share | Mode | Undetected (agreed / undecided) | Undetected in the first {coldStart} user jobs | Detection after the first {coldStart} | Canary jobs | User jobs failed | Honest nodes ejected |");
        text.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var s = r.Scenario;
            text.AppendLine(Row(
                s.Adversary.Label(),
                Format.Percent(s.Fraction),
                s.Mode == VerificationMode.Full ? "full" : "adaptive",
                $"{Format.Count(r.Undetected)} ({Format.Count(r.AdversarialOutputsAgreed)} / {Format.Count(r.AdversarialOutputsUndecided)})",
                $"{Format.Count(r.UndetectedInColdStart)} of {Format.Count(r.AdversarialOutputsInColdStart)}",
                r.DetectionAfterColdStart is { } after ? $"{Format.Percent(after, 1)} of {Format.Count(r.AdversarialOutputs - r.AdversarialOutputsInColdStart)}" : "n/a (none)",
                Format.Count(r.CanaryJobs),
                Format.Count(r.UserJobsFailed),
                Format.Count(r.HonestNodesEjected)));
        }

        return text.ToString();
    }

    /// <summary>"met", or "missed" with each failing scenario's figure.</summary>
    private static string Verdict(IEnumerable<ScenarioResult> group, Func<ScenarioResult, bool> met, Func<ScenarioResult, string> figure)
    {
        var failing = group.Where(r => !met(r)).ToList();
        return failing.Count == 0
            ? "met"
            : "missed: " + string.Join(", ", failing.Select(r => $"{figure(r)} at {Format.Percent(r.Scenario.Fraction)} {(r.Scenario.Mode == VerificationMode.Full ? "full" : "adaptive")}"));
    }

    private static string Row(params string[] cells) => "| " + string.Join(" | ", cells) + " |";
}

/// <summary>Numbers as the tables print them: invariant culture, fixed decimals.</summary>
internal static class Format
{
    public static string Percent(double value, int decimals = 0) =>
        (value * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%";

    public static string Ratio(double value) => value.ToString("F2", CultureInfo.InvariantCulture);

    public static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
