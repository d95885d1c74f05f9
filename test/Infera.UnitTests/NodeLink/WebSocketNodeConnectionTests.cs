using System.Net.WebSockets;
using Infera.NodeLink;
using Infera.Silo.NodeLink;
using Infera.UnitTests.Support;

namespace Infera.UnitTests.NodeLink;

public sealed class WebSocketNodeConnectionTests
{
    private readonly WebSocketPair _pair = new();
    private readonly CancellationTokenSource _timeout = new(Waits.Default);

    [TearDown]
    public void TearDown()
    {
        _pair.Dispose();
        _timeout.Dispose();
    }

    [Test]
    public async Task Messages_arrive_in_the_order_they_were_queued()
    {
        var connection = new WebSocketNodeConnection(_pair.Server, "10.0.0.1");
        var sent = Enumerable.Range(0, 50).Select(i => new TokenChunk("job-1.1", $"t{i}")).ToList();

        foreach (var message in sent)
        {
            await connection.SendAsync(message, CancellationToken.None);
        }

        var received = new List<NodeLinkMessage?>();
        while (received.Count < sent.Count)
        {
            received.Add(await WebSocketFrames.ReceiveMessageAsync(_pair.Client, _timeout.Token));
        }

        Assert.That(received, Is.EqualTo(sent));
    }

    [Test]
    public async Task Close_sends_what_is_queued_before_the_close_frame()
    {
        var connection = new WebSocketNodeConnection(_pair.Server, "10.0.0.1");
        await connection.SendAsync(new Drain("silo shutting down"), CancellationToken.None);
        await connection.SendAsync(new Cancel("job-1.1"), CancellationToken.None);

        var closing = connection.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "bye", _timeout.Token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await WebSocketFrames.ReceiveMessageAsync(_pair.Client, _timeout.Token), Is.EqualTo(new Drain("silo shutting down")));
            Assert.That(await WebSocketFrames.ReceiveMessageAsync(_pair.Client, _timeout.Token), Is.EqualTo(new Cancel("job-1.1")));
            Assert.That(await WebSocketFrames.ReceiveMessageAsync(_pair.Client, _timeout.Token), Is.Null, "the close frame");
            Assert.That(_pair.Client.CloseStatus, Is.EqualTo(WebSocketCloseStatus.EndpointUnavailable));
        }

        await closing.Within("the close to complete");
    }

    [Test]
    public async Task Send_after_abort_is_refused_with_the_reason()
    {
        var connection = new WebSocketNodeConnection(_pair.Server, "10.0.0.1");
        connection.Abort("heartbeat timeout");

        Assert.That(
            async () => await connection.SendAsync(new Cancel("job-1.1"), CancellationToken.None),
            Throws.InvalidOperationException.With.Message.Contains("heartbeat timeout"));
    }

    [Test]
    public async Task Send_on_a_dead_socket_closes_the_link_with_the_failure()
    {
        var connection = new WebSocketNodeConnection(_pair.Server, "10.0.0.1");
        _pair.Server.Abort();

        await connection.SendAsync(new Cancel("job-1.1"), CancellationToken.None);
        await connection.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", _timeout.Token).Within("the close to complete");

        Assert.That(connection.AbortReason, Does.StartWith("send failed"));
    }
}
