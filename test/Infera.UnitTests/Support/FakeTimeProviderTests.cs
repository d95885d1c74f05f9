namespace Infera.UnitTests.Support;

/// <summary>The fake clock is what the job tests stand on, so its timer semantics are pinned here.</summary>
public sealed class FakeTimeProviderTests
{
    private readonly FakeTimeProvider _clock = new();

    [Test]
    public void One_shot_timer_fires_once_when_time_passes_its_due_time()
    {
        var fired = new List<DateTimeOffset>();
        var start = _clock.GetUtcNow();
        using var timer = _clock.CreateTimer(_ => fired.Add(_clock.GetUtcNow()), null, TimeSpan.FromSeconds(10), Timeout.InfiniteTimeSpan);

        _clock.Advance(TimeSpan.FromSeconds(9));
        Assert.That(fired, Is.Empty);
        _clock.Advance(TimeSpan.FromSeconds(30));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(fired, Is.EqualTo(new[] { start.AddSeconds(10) }), "fires once, seeing the clock at its due time");
            Assert.That(_clock.GetUtcNow(), Is.EqualTo(start.AddSeconds(39)));
        }
    }

    [Test]
    public void Periodic_timer_rearms_after_each_firing()
    {
        var fired = 0;
        using var timer = _clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));

        _clock.Advance(TimeSpan.FromSeconds(16));

        Assert.That(fired, Is.EqualTo(3));
    }

    [Test]
    public void Changed_timer_follows_its_new_due_time_and_a_stopped_or_disposed_one_never_fires()
    {
        var fired = 0;
        var timer = _clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);

        timer.Change(TimeSpan.FromSeconds(20), Timeout.InfiniteTimeSpan);
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.That(fired, Is.Zero, "moved later");
        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(fired, Is.Zero, "stopped");
        timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        timer.Dispose();
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(fired, Is.Zero, "disposed");
    }

    [Test]
    public void Timer_due_now_fires_at_once()
    {
        var fired = 0;
        using var timer = _clock.CreateTimer(_ => fired++, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan);

        Assert.That(fired, Is.EqualTo(1));
    }
}
