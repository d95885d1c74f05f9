using Infera.Canaries;
using Infera.Identity;
using Infera.Jobs;
using Infera.NodeAgent.Backends;
using Infera.NodeLink;
using Infera.Nodes;
using Infera.Reputation;
using Infera.Trust;
using Infera.Verification;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Infera.Simulation;

/// <summary>
/// One scenario's network in one process: the real <see cref="JobService"/> (job grains, verifier, reputation,
/// canaries) over a <see cref="NodeRegistry"/> of <see cref="NodeGrain"/>s on simulated links, a simulated clock and
/// in-memory stores.
/// </summary>
/// <remarks>
/// Time moves in ticks of <see cref="Tick"/>. Each tick one user job starts, and the answers falling due are delivered
/// one at a time, each followed by a wait until the job it went to has handled it (and, if that settled the job, until
/// the canaries it planned have been dispatched). Answers take 1 to 2×<see cref="Scenario.MeanLatencyTicks"/>−1 ticks,
/// so about that many user jobs are in flight and busy nodes push the scheduler down the reputation ranking.
/// </remarks>
internal sealed class SimulatedNetwork
{
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);

    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Scenario _scenario;
    private readonly SimulationLoop _loop;
    private readonly Random _latency;
    private readonly Workload _workload;
    private readonly SimulatedClock _clock = new(Epoch);
    private readonly NodeRegistry _registry = new();
    private readonly InMemoryJobStore _jobs = new();
    private readonly InMemoryTrustStore _trust = new();
    private readonly AnswerArchive _archive = new();
    private readonly JobService _service;
    private readonly List<SimulatedNode> _nodes = [];
    private readonly PriorityQueue<Delivery, (long Tick, long Sequence)> _deliveries = new();
    private readonly Dictionary<string, bool> _deviant = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _live = new(StringComparer.Ordinal);
    private readonly HashSet<string> _userJobIds = new(StringComparer.Ordinal);
    private readonly List<JobStream> _userJobs = [];
    private long _tick;
    private long _sequence;
    private bool _linkClosed;

    private SimulatedNetwork(Scenario scenario, SimulationLoop loop)
    {
        _scenario = scenario;
        _loop = loop;
        var random = new Random(scenario.Seed);
        _latency = new Random(random.Next());
        _workload = new Workload(new Random(random.Next()));
        var settings = new ConfigurationBuilder().AddInMemoryCollection(scenario.Settings ?? new Dictionary<string, string?>()).Build();
        var trust = Bind<TrustOptions>(settings, "Infera:Trust");
        var reputation = new ReputationGrains(_trust, new TrustPolicy(trust), _clock);
        var verifier = new VerifierGrain(new LexicalEmbedder(), Bind<VerificationOptions>(settings, "Infera:Verification"));
        var canaries = new CanaryService(Bind<CanaryOptions>(settings, "Infera:Canaries"), new Random(random.Next()));
        var jobs = Bind<JobOptions>(settings, "Infera:Jobs");
        jobs.Verification = scenario.Mode;
        _service = new JobService(
            _registry,
            verifier,
            reputation,
            _jobs,
            Options.Create(jobs),
            _clock,
            NullLogger<JobService>.Instance,
            canaries,
            new Random(random.Next()));
        AddNodes(random, trust);
    }

    /// <summary>Runs the scenario to the end (every job settled) on a <see cref="SimulationLoop"/> of its own.</summary>
    public static ScenarioResult Run(Scenario scenario) =>
        SimulationLoop.Run(loop => new SimulatedNetwork(scenario, loop).RunAsync());

    /// <summary>Called by a node's link when the job dispatches to it: the answer is delivered some ticks later.</summary>
    public void Schedule(SimulatedNode node, Dispatch dispatch, Answer answer)
    {
        _deviant[dispatch.AssignmentId] = answer.Deviant;
        _live.TryAdd(dispatch.JobId, _userJobIds.Contains(dispatch.JobId) ? Workload.Tenant : JobRequest.CanaryTenant);
        var latency = _latency.Next(1, 2 * _scenario.MeanLatencyTicks);
        _deliveries.Enqueue(new Delivery(node, dispatch.JobId, dispatch.AssignmentId, answer), (_tick + latency, _sequence++));
    }

    /// <summary>Called when the silo closes a node's link (an ejected node is taken offline).</summary>
    public void OnClosed(SimulatedNode node)
    {
        _registry.Remove(node.Grain);
        _linkClosed = true;
    }

    private async Task<ScenarioResult> RunAsync()
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var lastTick = _scenario.Jobs + (long)(TimeSpan.FromHours(1) / Tick); // ample for every deadline to pass
        for (_tick = 0; ; _tick++)
        {
            if (_userJobs.Count < _scenario.Jobs)
            {
                await StartUserJobAsync();
            }

            while (_deliveries.TryPeek(out _, out var due) && due.Tick <= _tick)
            {
                await DeliverAsync(_deliveries.Dequeue());
            }

            if (_userJobs.Count == _scenario.Jobs && _deliveries.Count == 0 && _service.ActiveJobs == 0)
            {
                break;
            }

            if (_tick > lastTick)
            {
                throw new InvalidOperationException($"{_service.ActiveJobs} job(s) never settled.");
            }

            if (_clock.Advance(Tick) > 0)
            {
                await InspectLiveJobsAsync(); // a deadline fired: let the jobs handle it
            }
        }

        return Measurement.Of(
            _scenario,
            _jobs.Jobs,
            _trust,
            _nodes,
            _deviant,
            ClientFailures(),
            at => (int)Math.Min(_scenario.Jobs, ((at - Epoch) / Tick) + 1),
            System.Diagnostics.Stopwatch.GetElapsedTime(started));
    }

    private async Task StartUserJobAsync()
    {
        var request = _workload.Next();
        var job = _service.Start(request, CancellationToken.None);
        _userJobs.Add(job);
        _userJobIds.Add(job.JobId);
        _live[job.JobId] = Workload.Tenant;
        await _loop.WhenIdle(); // the job ranks nodes and dispatches

        // Users see their answers; replaying nodes collect them to serve for other prompts later.
        var honest = SimulatedTextGenerator.Complete(request.Model, request.Messages, request.Sampling);
        _archive.Add(request.Messages[^1].Content, honest.Text);
    }

    private async Task DeliverAsync(Delivery delivery)
    {
        var (node, jobId, assignmentId, answer) = delivery;
        if (node.Closed)
        {
            return; // the silo already failed this assignment when it took the node offline
        }

        if (answer.Text.Length > 0)
        {
            node.Grain.OnReport(new TokenChunk(assignmentId, answer.Text));
        }

        node.Grain.OnReport(new AssignmentResult(assignmentId, answer.FinishReason, answer.PromptTokens, answer.CompletionTokens, Seeded: false));
        await InspectAsync(jobId);
        while (_linkClosed)
        {
            // An ejected node's other assignments were failed into their jobs' mailboxes.
            _linkClosed = false;
            await InspectLiveJobsAsync();
        }

        await _loop.WhenIdle(); // canaries the settled job planned rank and dispatch
    }

    /// <summary>
    /// Waits for the job to handle everything posted to it so far: an inspection is answered in the job's own turn, or,
    /// when the job ends first, once it has settled, been saved and planned its canaries.
    /// </summary>
    private async Task InspectAsync(string jobId)
    {
        if (_live.TryGetValue(jobId, out var tenant)
            && await _service.GetAsync(jobId, tenant, CancellationToken.None) is not { Status: JobStatuses.Running })
        {
            _live.Remove(jobId);
        }
    }

    private async Task InspectLiveJobsAsync()
    {
        foreach (var jobId in _live.Keys.ToList())
        {
            await InspectAsync(jobId);
        }
    }

    /// <summary>User jobs whose client got a failure event rather than an answer.</summary>
    private int ClientFailures()
    {
        var failed = 0;
        foreach (var job in _userJobs)
        {
            while (job.Events.TryRead(out var e))
            {
                failed += e is JobFailed ? 1 : 0;
            }
        }

        return failed;
    }

    private void AddNodes(Random random, TrustOptions trust)
    {
        var adversaries = new HashSet<int>(Enumerable.Range(0, _scenario.Nodes).OrderBy(_ => random.Next()).Take(_scenario.AdversaryCount));
        var sybilOperator = RandomAddress(random).Value;
        var sybils = 0;
        for (var i = 0; i < _scenario.Nodes; i++)
        {
            var adversary = adversaries.Contains(i);
            var sybil = adversary && _scenario.Adversary == Adversary.Sybil;

            // Every node its own operator on its own /24, except the sybils: one operator, one /24.
            var remote = sybil ? $"198.51.100.{++sybils}" : $"10.{i / 256}.{i % 256}.7";
            var link = new SimulatedNode(adversary ? Behaviour(_scenario.Adversary) : new Honest(), remote, random.Next(), this);
            var address = RandomAddress(random);
            var hello = new Hello(
                address.Value,
                PublicKey: new string('0', 128),
                Signature: new string('0', 128),
                SignedAtUnixMs: 0,
                AgentVersion: "simulation",
                Backend: "simulated",
                MaxConcurrency: 1,
                [new ModelOffer(Workload.Model, Simulated: true)],
                new HardwareInfo(Gpu: null, VramMb: null, CpuCores: 8, RamMb: 16384),
                Operator: sybil ? sybilOperator : null);
            link.Grain = new NodeGrain(address, hello, link, _clock, NodeTrust.New(address.Value, trust.InitialAgreement, trust.InitialStake));
            _registry.Add(link.Grain);
            _nodes.Add(link);
        }
    }

    private NodeBehaviour Behaviour(Adversary adversary) => adversary switch
    {
        Adversary.Garbage => new Garbage(),
        Adversary.Replay => new Replay(_archive),
        Adversary.CheaperModel => new CheaperModel(),
        Adversary.StopEarly => new StopEarly(),
        Adversary.Sybil => new Sybil(),
        _ => throw new ArgumentOutOfRangeException(nameof(adversary), adversary, "Unknown adversary."),
    };

    private static T Bind<T>(IConfiguration settings, string section)
        where T : new()
    {
        var options = new T();
        settings.GetSection(section).Bind(options);
        return options;
    }

    private static NodeAddress RandomAddress(Random random)
    {
        var key = new byte[64];
        random.NextBytes(key);
        return NodeAddress.FromPublicKey(key);
    }

    private sealed record Delivery(SimulatedNode Node, string JobId, string AssignmentId, Answer Answer);
}
