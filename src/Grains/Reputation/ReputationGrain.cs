using System.Collections.Concurrent;
using Infera.Storage;
using Infera.Trust;

namespace Infera.Reputation;

/// <summary>
/// One node's standing: applies each outcome through the <see cref="TrustPolicy"/> in its own turn and persists the
/// result with its ledger lines. The store holds the truth; this grain caches it.
/// </summary>
// A SemaphoreSlim whose wait handle is never touched holds nothing that needs disposing.
#pragma warning disable CA1001
public sealed class ReputationGrain(string address, ITrustStore store, TrustPolicy policy, TimeProvider clock)
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private NodeTrust? _trust;

    public string Address => address;

    public async Task<NodeTrust> GetAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            return await LoadAsync(cancellationToken);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Applies one outcome; <paramref name="uptime"/>, when known, is the node's measured share of time online.</summary>
    public async Task<NodeTrust> RecordAsync(NodeOutcome outcome, double? uptime, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            var before = await LoadAsync(cancellationToken);
            if (uptime is { } measured)
            {
                before = before with { Uptime = Math.Clamp(measured, 0, 1) };
            }

            var (after, events) = policy.Apply(before, outcome, clock.GetUtcNow());
            await store.SaveAsync(after, events, cancellationToken);
            _trust = after;
            return after;
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task<NodeTrust> LoadAsync(CancellationToken cancellationToken) =>
        _trust ??= await store.GetAsync(address, cancellationToken)
            ?? NodeTrust.New(address, policy.Options.InitialAgreement, policy.Options.InitialStake);
}
#pragma warning restore CA1001

/// <summary>Finds or creates the reputation grain of a node.</summary>
public sealed class ReputationGrains(ITrustStore store, TrustPolicy policy, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, ReputationGrain> _grains = new(StringComparer.Ordinal);

    public TrustPolicy Policy => policy;

    public ReputationGrain Get(string address) =>
        _grains.GetOrAdd(address, a => new ReputationGrain(a, store, policy, clock));
}
