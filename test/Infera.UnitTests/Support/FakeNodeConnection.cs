using Infera.NodeLink;
using Infera.Nodes;

namespace Infera.UnitTests.Support;

/// <summary>A node link that records what the silo sends, so a test can await a dispatch and answer it.</summary>
internal sealed class FakeNodeConnection(string? remoteAddress = null) : INodeConnection
{
    private readonly Lock _lock = new();
    private readonly List<NodeLinkMessage> _sent = [];
    private readonly List<(Func<NodeLinkMessage, bool> Match, TaskCompletionSource<NodeLinkMessage> Reply)> _waiters = [];

    public string? RemoteAddress { get; } = remoteAddress;

    /// <summary>The reason the link was closed with, or null while it is open.</summary>
    public string? AbortReason { get; private set; }

    public IReadOnlyList<NodeLinkMessage> Sent
    {
        get
        {
            lock (_lock)
            {
                return [.. _sent];
            }
        }
    }

    public ValueTask SendAsync(NodeLinkMessage message, CancellationToken cancellationToken)
    {
        List<TaskCompletionSource<NodeLinkMessage>> woken = [];
        lock (_lock)
        {
            _sent.Add(message);
            foreach (var waiter in _waiters.Where(w => w.Match(message)).ToList())
            {
                _waiters.Remove(waiter);
                woken.Add(waiter.Reply);
            }
        }

        foreach (var reply in woken)
        {
            reply.TrySetResult(message);
        }

        return ValueTask.CompletedTask;
    }

    public void Abort(string reason) => AbortReason = reason;

    /// <summary>The first message of type <typeparamref name="T"/> sent (now or later) that matches.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool>? match = null, TimeSpan? timeout = null)
        where T : NodeLinkMessage
    {
        bool Matches(NodeLinkMessage m) => m is T typed && (match is null || match(typed));
        var reply = new TaskCompletionSource<NodeLinkMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (_sent.FirstOrDefault(Matches) is { } already)
            {
                return (T)already;
            }

            _waiters.Add((Matches, reply));
        }

        try
        {
            return (T)await reply.Task.WaitAsync(timeout ?? Waits.Default);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No {typeof(T).Name} was sent to the node at {RemoteAddress ?? "(no address)"} within the wait.");
        }
    }

    /// <summary>Whether any message of type <typeparamref name="T"/> was sent so far.</summary>
    public bool HasSent<T>()
        where T : NodeLinkMessage => Sent.OfType<T>().Any();
}
