namespace Infera.Simulation;

/// <summary>
/// A clock that moves only when the simulation advances it; timers fire, on the simulation's thread, as time passes
/// their due time. Used from the <see cref="SimulationLoop"/> thread only, so it takes no locks.
/// </summary>
internal sealed class SimulatedClock(DateTimeOffset start) : TimeProvider
{
    private readonly List<Timer> _timers = [];
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves time forward, firing every timer that falls due on the way; returns how many fired.</summary>
    public int Advance(TimeSpan by)
    {
        var target = _now + by;
        var fired = 0;
        while (_timers.Where(t => t.DueAt is { } due && due <= target).MinBy(t => t.DueAt) is { } next)
        {
            _now = next.DueAt!.Value > _now ? next.DueAt.Value : _now;
            next.Rearm(_now);
            next.Fire();
            fired++;
        }

        _now = target;
        return fired;
    }

    private sealed class Timer(SimulatedClock owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public DateTimeOffset? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
            if (DueAt <= owner._now)
            {
                Rearm(owner._now);
                Fire();
            }

            return true;
        }

        public void Rearm(DateTimeOffset now) =>
            DueAt = _period == Timeout.InfiniteTimeSpan || _period <= TimeSpan.Zero ? null : now + _period;

        public void Fire() => callback(state);

        public void Dispose()
        {
            DueAt = null;
            owner._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
