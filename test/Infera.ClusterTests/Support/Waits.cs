namespace Infera.ClusterTests.Support;

/// <summary>Bounded waits that fail the test with what was awaited.</summary>
public static class Waits
{
    /// <summary>Awaits <paramref name="task"/>, failing the test when it has not finished within <paramref name="timeout"/>.</summary>
    public static async Task Within(this Task task, TimeSpan timeout, string what)
    {
        try
        {
            await task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{what}: not within {timeout.TotalSeconds:F0} s.");
        }
    }

    /// <summary>Asks <paramref name="condition"/> every <paramref name="interval"/> until it holds; returns how long that took.</summary>
    public static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan interval, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"{what}: not within {timeout.TotalSeconds:F0} s.");
            }

            await Task.Delay(interval);
        }

        return clock.Elapsed;
    }
}
