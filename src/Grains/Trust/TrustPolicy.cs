using System.Globalization;

namespace Infera.Trust;

/// <summary>The rules of trust, as pure functions: an outcome and the clock in, the new standing and its ledger lines out.</summary>
public sealed class TrustPolicy(TrustOptions options)
{
    public TrustOptions Options => options;

    public (NodeTrust After, IReadOnlyList<TrustEvent> Events) Apply(NodeTrust before, NodeOutcome outcome, DateTimeOffset now)
    {
        if (before.IsEjected)
        {
            return (before, []);
        }

        var a = options.Alpha;
        var after = before;
        double stakeDelta = 0, pointsDelta = 0;
        string kind;
        var reason = outcome.Reason;
        switch (outcome.Kind)
        {
            case OutcomeKind.Agreed:
                kind = TrustEventKinds.Reward;
                pointsDelta = options.RewardPerAgreement;
                after = after with
                {
                    Agreement = Ema(before.Agreement, 1, a),
                    Completion = Ema(before.Completion, 1, a),
                    Speed = outcome.SpeedRatio is { } speed ? Ema(before.Speed, Math.Clamp(speed, 0, 1), a) : before.Speed,
                    Points = before.Points + pointsDelta,
                    Verdicts = before.Verdicts + 1,
                };
                break;
            case OutcomeKind.Disagreed:
                kind = TrustEventKinds.Slash;
                stakeDelta = -Math.Round(before.Stake * options.SlashFraction, 4);
                var offences = before.Offences + 1;
                var coolingOff = CoolingOffFor(offences);
                after = after with
                {
                    Agreement = Ema(before.Agreement, 0, a),
                    Completion = Ema(before.Completion, 1, a),
                    Stake = Math.Round(before.Stake + stakeDelta, 4),
                    Offences = offences,
                    Verdicts = before.Verdicts + 1,
                    CoolingOffUntil = now + coolingOff,
                };
                reason = string.Create(CultureInfo.InvariantCulture, $"{reason}; offence {offences}, out of routing for {coolingOff.TotalSeconds:F0} s");
                break;
            case OutcomeKind.Failed:
                kind = TrustEventKinds.Failure;
                after = after with { Completion = Ema(before.Completion, 0, a) };
                break;
            default:
                kind = TrustEventKinds.Unverified;
                after = after with { Completion = Ema(before.Completion, 1, a) };
                break;
        }

        var events = new List<TrustEvent>(2)
        {
            new(before.Address, outcome.JobId, kind, before.Reputation, after.Reputation, stakeDelta, pointsDelta, reason, now),
        };

        var ejection = after.Reputation < options.ReputationFloor
            ? string.Create(CultureInfo.InvariantCulture, $"reputation {after.Reputation:F2} fell below the floor of {options.ReputationFloor}")
            : after.Stake < options.MinimumStake
                ? string.Create(CultureInfo.InvariantCulture, $"stake {after.Stake:F2} fell below the minimum of {options.MinimumStake}")
                : null;
        if (ejection is not null)
        {
            after = after with { EjectedAt = now, EjectedReason = ejection };
            events.Add(new(before.Address, outcome.JobId, TrustEventKinds.Ejected, after.Reputation, after.Reputation, 0, 0, ejection, now));
        }

        return (after, events);
    }

    /// <summary>Uptime is measured, not averaged: the share of the node's life it was online.</summary>
    public static NodeTrust WithUptime(NodeTrust trust, TimeSpan online, TimeSpan lifetime) =>
        trust with { Uptime = lifetime <= TimeSpan.Zero ? 1 : Math.Clamp(online / lifetime, 0, 1) };

    private TimeSpan CoolingOffFor(int offences)
    {
        var doubled = options.CoolingOff * Math.Pow(2, Math.Min(offences - 1, 30));
        return doubled > options.MaxCoolingOff ? options.MaxCoolingOff : doubled;
    }

    private static double Ema(double current, double sample, double alpha) => Math.Round(current + (alpha * (sample - current)), 6);
}
