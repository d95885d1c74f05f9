namespace Infera.UnitTests.Support;

/// <summary>
/// A clock that moves only when a test calls <see cref="Advance"/>. Timers fire, on the caller's thread, when time
/// passes their due time; periodic timers re-arm. A timer set to a due time of zero fires at once.
/// </summary>
internal sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<FakeTimer> _timers = [];
    private DateTimeOffset _now = start;

    public FakeTimeProvider()
        : this(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        lock (_lock)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves time forward, firing every timer that falls due on the way, in due order.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_lock)
        {
            target = _now + by;
        }

        while (true)
        {
            FakeTimer? next;
            lock (_lock)
            {
                next = _timers.Where(t => t.DueAt is { } due && due <= target).MinBy(t => t.DueAt);
                if (next is null)
                {
                    _now = target;
                    return;
                }

                if (next.DueAt > _now)
                {
                    _now = next.DueAt!.Value;
                }

                next.Rearm(_now);
            }

            next.Fire();
        }
    }

    private void FireIfDue(FakeTimer timer)
    {
        lock (_lock)
        {
            if (timer.DueAt is not { } due || due > _now)
            {
                return;
            }

            timer.Rearm(_now);
        }

        timer.Fire();
    }

    private void Remove(FakeTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        /// <summary>When the timer fires next; null when it is stopped. Guarded by the owner's lock.</summary>
        public DateTimeOffset? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                _period = period;
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
            }

            owner.FireIfDue(this);
            return true;
        }

        /// <summary>Sets the next due time after a firing at <paramref name="now"/>. Called under the owner's lock.</summary>
        public void Rearm(DateTimeOffset now) =>
            DueAt = _period == Timeout.InfiniteTimeSpan || _period <= TimeSpan.Zero ? null : now + _period;

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._lock)
            {
                DueAt = null;
            }

            owner.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
