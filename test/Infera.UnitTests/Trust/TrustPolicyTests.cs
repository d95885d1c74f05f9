using Infera.Trust;

namespace Infera.UnitTests.Trust;

public sealed class TrustPolicyTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private readonly TrustPolicy _policy = new(new TrustOptions());

    private static NodeTrust Fresh() => NodeTrust.New("0xnode", initialAgreement: 0.2, initialStake: 100);

    private static NodeOutcome Outcome(OutcomeKind kind, string job = "job-1") => new(job, kind, kind.ToString());

    [Test]
    public void A_new_node_starts_with_low_trust_and_earns_it_by_agreeing()
    {
        var trust = Fresh();
        Assert.That(trust.Reputation, Is.EqualTo(20));

        for (var i = 0; i < 20; i++)
        {
            trust = _policy.Apply(trust, Outcome(OutcomeKind.Agreed), Now).After;
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(trust.Reputation, Is.GreaterThan(new TrustOptions().TrustedReputation), "twenty agreements make a node trusted");
            Assert.That(trust.Points, Is.EqualTo(20));
            Assert.That(trust.Stake, Is.EqualTo(100));
            Assert.That(trust.Offences, Is.Zero);
        }
    }

    [Test]
    public void A_disagreement_slashes_a_fifth_of_the_stake_and_takes_the_node_out_of_routing()
    {
        var (after, events) = _policy.Apply(Fresh(), Outcome(OutcomeKind.Disagreed), Now);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(after.Stake, Is.EqualTo(80));
            Assert.That(after.Offences, Is.EqualTo(1));
            Assert.That(after.IsRoutable(Now), Is.False);
            Assert.That(after.IsRoutable(Now + TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1)), Is.True, "the first cooling-off lasts a minute");
            Assert.That(events.Single().Kind, Is.EqualTo(TrustEventKinds.Slash));
            Assert.That(events.Single().StakeDelta, Is.EqualTo(-20));
            Assert.That(events.Single().JobId, Is.EqualTo("job-1"));
            Assert.That(events.Single().Reason, Does.Contain("offence 1"));
        }
    }

    [Test]
    public void Cooling_off_doubles_with_each_offence_up_to_the_cap()
    {
        var policy = new TrustPolicy(new TrustOptions { CoolingOff = TimeSpan.FromMinutes(1), MaxCoolingOff = TimeSpan.FromMinutes(5), ReputationFloor = 0, MinimumStake = 0 });
        var trust = NodeTrust.New("0xnode", 1, 100);
        var periods = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            trust = policy.Apply(trust, Outcome(OutcomeKind.Disagreed), Now).After;
            periods.Add(trust.CoolingOffUntil!.Value - Now);
        }

        Assert.That(periods, Is.EqualTo(new[] { 1, 2, 4, 5, 5 }.Select(m => TimeSpan.FromMinutes(m))));
    }

    [Test]
    public void A_node_that_keeps_disagreeing_is_ejected_below_the_reputation_floor_and_then_ignored()
    {
        var trust = Fresh();
        var offences = 0;
        while (!trust.IsEjected && offences < 100)
        {
            trust = _policy.Apply(trust, Outcome(OutcomeKind.Disagreed), Now).After;
            offences++;
        }

        var (after, events) = _policy.Apply(trust, Outcome(OutcomeKind.Agreed), Now);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(trust.IsEjected, Is.True);
            Assert.That(offences, Is.LessThanOrEqualTo(15), "a persistent cheater is out within a bounded number of offences");
            Assert.That(trust.EjectedReason, Does.Contain("reputation"));
            Assert.That(trust.IsRoutable(Now + TimeSpan.FromDays(365)), Is.False);
            Assert.That(after, Is.EqualTo(trust), "an ejected node's standing no longer changes");
            Assert.That(events, Is.Empty);
        }
    }

    [Test]
    public void A_node_whose_stake_runs_out_is_ejected()
    {
        var policy = new TrustPolicy(new TrustOptions { SlashFraction = 0.995, MinimumStake = 1, ReputationFloor = 0 });
        var (after, events) = policy.Apply(NodeTrust.New("0xnode", 1, 100), Outcome(OutcomeKind.Disagreed), Now);

        Assert.That(after.IsEjected, Is.True);
        Assert.That(after.EjectedReason, Does.Contain("stake"));
        Assert.That(events.Select(e => e.Kind), Is.EqualTo(new[] { TrustEventKinds.Slash, TrustEventKinds.Ejected }));
    }

    [Test]
    public void Failures_lower_the_completion_rate_without_slashing()
    {
        var (after, events) = _policy.Apply(NodeTrust.New("0xnode", 1, 100), Outcome(OutcomeKind.Failed), Now);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(after.Completion, Is.EqualTo(0.9));
            Assert.That(after.Reputation, Is.EqualTo(98));
            Assert.That(after.Stake, Is.EqualTo(100));
            Assert.That(after.IsRoutable(Now), Is.True);
            Assert.That(events.Single().Kind, Is.EqualTo(TrustEventKinds.Failure));
        }
    }

    [Test]
    public void Speed_below_the_model_norm_lowers_quality_but_no_speed_makes_up_for_disagreeing()
    {
        var slow = _policy.Apply(NodeTrust.New("0xslow", 1, 100), new NodeOutcome("job-1", OutcomeKind.Agreed, "agree", SpeedRatio: 0.2), Now).After;
        var cheat = NodeTrust.New("0xcheat", 0.01, 100);

        Assert.That(slow.Speed, Is.EqualTo(0.92).Within(1e-9));
        Assert.That(slow.Reputation, Is.LessThan(100));
        Assert.That(cheat.Reputation, Is.EqualTo(1), "reputation is agreement times quality: perfect quality cannot lift near-zero agreement");
    }

    [Test]
    public void Uptime_is_the_measured_share_of_the_nodes_life_online()
    {
        var trust = TrustPolicy.WithUptime(NodeTrust.New("0xnode", 1, 100), online: TimeSpan.FromHours(6), lifetime: TimeSpan.FromHours(24));

        Assert.That(trust.Uptime, Is.EqualTo(0.25));
        Assert.That(trust.Reputation, Is.EqualTo(85));
    }
}
