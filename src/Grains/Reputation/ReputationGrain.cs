using System.Collections.Concurrent;
using Infera.Storage;

namespace Infera.Reputation;

/// <summary>
/// One node's reputation (0–100), an exponential moving average of its outcomes: agreement pulls it toward 100,
/// disagreement and failure toward 0, undecided leaves it alone. Turns run one at a time; the store holds the truth.
/// </summary>
// A SemaphoreSlim whose wait handle is never touched holds nothing that needs disposing.
#pragma warning disable CA1001
public sealed class ReputationGrain(string address, IReputationStore store, ReputationOptions options, TimeProvider clock)
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private double? _reputation;

    public string Address => address;

    public async Task<double> GetAsync(CancellationToken cancellationToken)
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

    /// <summary>Applies one outcome and returns the new reputation.</summary>
    public async Task<double> RecordAsync(string outcome, string? jobId, string reason, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            var before = await LoadAsync(cancellationToken);
            double? target = outcome switch
            {
                Outcomes.Agreed => 100,
                Outcomes.Disagreed or Outcomes.Failed => 0,
                _ => null,
            };
            if (target is null)
            {
                return before;
            }

            var after = Math.Round(before + (options.Alpha * (target.Value - before)), 4);
            await store.ApplyAsync(new ReputationChange(address, jobId, outcome, before, after, reason, clock.GetUtcNow()), cancellationToken);
            _reputation = after;
            return after;
        }
        finally
        {
            _turn.Release();
        }
    }

    private async Task<double> LoadAsync(CancellationToken cancellationToken) =>
        _reputation ??= await store.GetAsync(address, cancellationToken) ?? options.Initial;
}
#pragma warning restore CA1001

/// <summary>The outcomes a node's part in a job can have.</summary>
public static class Outcomes
{
    public const string Agreed = "agreed";
    public const string Disagreed = "disagreed";
    public const string Undecided = "undecided";
    public const string Failed = "failed";
}

/// <summary>Finds or creates the reputation grain of a node.</summary>
public sealed class ReputationGrains(IReputationStore store, ReputationOptions options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, ReputationGrain> _grains = new(StringComparer.Ordinal);

    public ReputationGrain Get(string address) =>
        _grains.GetOrAdd(address, a => new ReputationGrain(a, store, options, clock));
}
