using Infera.Canaries;
using Infera.Jobs;
using Infera.NodeLink;
using Infera.Nodes;
using Infera.Reputation;
using Infera.Simulation;
using Infera.Telemetry;
using Infera.Trust;
using Infera.Verification;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Infera.UnitTests.Support;

/// <summary>A silo's job machinery with fake nodes, a fake clock and in-memory stores: no servers.</summary>
internal sealed class JobHarness
{
    public const string Model = "llama3";
    public const string Tenant = "tenant-a";

    public JobHarness(JobOptions? options = null, CanaryService? canaries = null, Random? random = null, JobInstruments? instruments = null)
    {
        Options = options ?? new JobOptions();
        Canaries = canaries;
        Reputation = new ReputationGrains(ReputationStore, new TrustPolicy(new TrustOptions()), Clock);
        Service = new JobService(
            Registry,
            new VerifierGrain(new LexicalEmbedder(), new VerificationOptions()),
            Reputation,
            Store,
            Microsoft.Extensions.Options.Options.Create(Options),
            Clock,
            NullLogger<JobService>.Instance,
            canaries,
            random,
            instruments);
    }

    public CanaryService? Canaries { get; }

    public FakeTimeProvider Clock { get; } = new();

    public NodeRegistry Registry { get; } = new();

    public InMemoryJobStore Store { get; } = new();

    public InMemoryTrustStore ReputationStore { get; } = new();

    public ReputationGrains Reputation { get; }

    public JobOptions Options { get; }

    public JobService Service { get; }

    /// <summary>
    /// Connects a node serving <see cref="Model"/>. Reputations 30 points apart outweigh the scheduler's jitter, so
    /// tests that give distinct reputations know which node is picked first (the primary).
    /// </summary>
    public TestNode AddNode(double reputation = 50, int maxConcurrency = 1, string? remoteAddress = null)
    {
        var node = TestNodes.Create(Clock, reputation, maxConcurrency, remoteAddress, new ModelOffer(Model));
        ReputationStore.Seed(node.Address, reputation);
        Registry.Add(node.Grain);
        return node;
    }

    public JobStream Start(string model = Model, string tenant = Tenant, CancellationToken cancellationToken = default) =>
        Service.Start(Request(model, tenant), cancellationToken);

    public static JobRequest Request(string model = Model, string tenant = Tenant) => new(
        tenant,
        model,
        [new ChatMessage("user", "What is the capital of France?")],
        new SamplingParameters(MaxTokens: 64, Temperature: 0.7, TopP: null, Seed: 42, Stop: null),
        Stream: true);

    /// <summary>Waits for the job to settle and be saved: its event stream ends only after the last save.</summary>
    public static Task<List<JobEvent>> RestOfStreamAsync(JobStream job) =>
        job.Events.DrainAsync("the job to settle and close its event stream");

    public async Task<JobView> StoredAsync(string jobId)
    {
        var stored = await Store.FindAsync(jobId, CancellationToken.None);
        Assert.That(stored, Is.Not.Null, $"job {jobId} was never saved");
        return stored!.Value.Job;
    }

    /// <summary>Inspects the job in its own turn, so every report posted before has been handled on return.</summary>
    public Task<JobView?> InspectAsync(string jobId) =>
        Service.GetAsync(jobId, Tenant, CancellationToken.None).Within($"job {jobId} to answer an inspection");

    public static string Text(IEnumerable<JobEvent> events) =>
        string.Concat(events.OfType<TokenDelta>().Select(d => d.Text));
}
