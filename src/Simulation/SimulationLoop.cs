namespace Infera.Simulation;

/// <summary>
/// Runs a simulation on one thread: every continuation the grains post lands in one queue and runs in order, so a
/// seeded run takes the same path on every machine and the grains' shared <see cref="Random"/>s are never used from
/// two threads at once.
/// </summary>
/// <remarks>
/// The one thing that leaves the thread is a channel read (the BCL's <c>ReadAllAsync</c> resumes on the thread pool
/// for a moment before it posts back here). The loop cannot see that hop, so "the queue is empty" is not "everything
/// has settled" on its own: <see cref="SimulatedNetwork"/> first awaits each job it stirred (an inspection, answered in
/// the job's own turn), and only then <see cref="WhenIdle"/>.
/// </remarks>
internal sealed class SimulationLoop : SynchronizationContext
{
    // Work here takes microseconds; only a lost continuation waits this long.
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private readonly Queue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly List<TaskCompletionSource> _idle = [];
    private readonly int _threadId = Environment.CurrentManagedThreadId;

    private SimulationLoop()
    {
    }

    /// <summary>Runs <paramref name="body"/> and everything it starts on the calling thread until it completes.</summary>
    public static T Run<T>(Func<SimulationLoop, Task<T>> body)
    {
        var previous = Current;
        var loop = new SimulationLoop();
        SetSynchronizationContext(loop);
        try
        {
            var main = body(loop);
            loop.Pump(main);
            return main.GetAwaiter().GetResult();
        }
        finally
        {
            SetSynchronizationContext(previous);
        }
    }

    /// <summary>Completes once nothing is left in the queue.</summary>
    public Task WhenIdle()
    {
        var idle = new TaskCompletionSource();
        lock (_gate)
        {
            _idle.Add(idle);
        }

        return idle.Task;
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (_gate)
        {
            _queue.Enqueue((d, state));
            Monitor.Pulse(_gate);
        }
    }

    public override void Send(SendOrPostCallback d, object? state)
    {
        if (Environment.CurrentManagedThreadId != _threadId)
        {
            throw new NotSupportedException("The simulation runs on one thread; post to it instead.");
        }

        d(state);
    }

    public override SynchronizationContext CreateCopy() => this;

    private void Pump(Task main)
    {
        while (!main.IsCompleted)
        {
            (SendOrPostCallback Callback, object? State)? next = null;
            TaskCompletionSource[] idle = [];
            lock (_gate)
            {
                if (_queue.Count > 0)
                {
                    next = _queue.Dequeue();
                }
                else if (_idle.Count > 0)
                {
                    idle = [.. _idle];
                    _idle.Clear();
                }
                else if (!Monitor.Wait(_gate, StallLimit))
                {
                    throw new InvalidOperationException($"The simulation stalled: nothing was posted for {StallLimit.TotalSeconds} s.");
                }
            }

            next?.Callback(next.Value.State);
            foreach (var waiter in idle)
            {
                waiter.SetResult();
            }
        }
    }
}
