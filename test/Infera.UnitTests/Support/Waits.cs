using System.Threading.Channels;

namespace Infera.UnitTests.Support;

/// <summary>Bounded waits: a test that waits for something that never comes fails saying what it waited for.</summary>
internal static class Waits
{
    /// <summary>Generous for work that takes microseconds; only a broken signal runs into it.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(5);

    public static async Task<T> Within<T>(this Task<T> task, string awaited, TimeSpan? timeout = null)
    {
        try
        {
            return await task.WaitAsync(timeout ?? Default);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out waiting for {awaited}.");
        }
    }

    public static async Task Within(this Task task, string awaited, TimeSpan? timeout = null)
    {
        try
        {
            await task.WaitAsync(timeout ?? Default);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out waiting for {awaited}.");
        }
    }

    /// <summary>The next item of the channel; fails if the channel ends or nothing comes in time.</summary>
    public static async Task<T> NextAsync<T>(this ChannelReader<T> reader, string awaited)
    {
        using var timeout = new CancellationTokenSource(Default);
        try
        {
            return await reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Timed out waiting for {awaited}.");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The channel ended while waiting for {awaited}.");
        }
    }

    /// <summary>Every remaining item, until the writer completes the channel.</summary>
    public static async Task<List<T>> DrainAsync<T>(this ChannelReader<T> reader, string awaited)
    {
        using var timeout = new CancellationTokenSource(Default);
        var items = new List<T>();
        try
        {
            await foreach (var item in reader.ReadAllAsync(timeout.Token))
            {
                items.Add(item);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Timed out waiting for {awaited}; got {items.Count} item(s) before.");
        }

        return items;
    }
}
