using System.Net.WebSockets;
using System.Text.Json;
using Infera.NodeLink;
using Infera.UnitTests.Support;

namespace Infera.UnitTests.NodeLink;

public sealed class WebSocketFramesTests
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
    public async Task Message_split_over_several_frames_is_read_whole()
    {
        // Longer than the first buffer the reader rents, so the buffer has to grow mid-message too.
        var sent = new TokenChunk("job-1.1", new string('x', 10_000) + " ✓");
        var receiving = WebSocketFrames.ReceiveMessageAsync(_pair.Server, _timeout.Token);

        await SendInFramesAsync(NodeLinkProtocol.Serialize(sent), frames: 3);

        Assert.That(await receiving, Is.EqualTo(sent));
    }

    [Test]
    public async Task Message_of_exactly_the_bound_is_read()
    {
        var sent = ChunkOfSize(WebSocketFrames.MaxMessageBytes);

        await SendInFramesAsync(NodeLinkProtocol.Serialize(sent), frames: 4);

        Assert.That(await WebSocketFrames.ReceiveMessageAsync(_pair.Server, _timeout.Token), Is.EqualTo(sent));
    }

    [Test]
    public async Task Message_larger_than_the_bound_is_refused()
    {
        await SendInFramesAsync(NodeLinkProtocol.Serialize(ChunkOfSize(WebSocketFrames.MaxMessageBytes + 1)), frames: 4);

        Assert.That(
            async () => await WebSocketFrames.ReceiveMessageAsync(_pair.Server, _timeout.Token),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains($"{WebSocketFrames.MaxMessageBytes} bytes"));
    }

    [Test]
    public async Task Messages_that_follow_each_other_are_read_one_at_a_time()
    {
        var first = new Heartbeat(1);
        var second = new TokenChunk("job-1.1", "hello");
        await _pair.Client.SendAsync(NodeLinkProtocol.Serialize(first), WebSocketMessageType.Text, endOfMessage: true, _timeout.Token);
        await _pair.Client.SendAsync(NodeLinkProtocol.Serialize(second), WebSocketMessageType.Text, endOfMessage: true, _timeout.Token);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await WebSocketFrames.ReceiveMessageAsync(_pair.Server, _timeout.Token), Is.EqualTo(first));
            Assert.That(await WebSocketFrames.ReceiveMessageAsync(_pair.Server, _timeout.Token), Is.EqualTo(second));
        }
    }

    [Test]
    public async Task Empty_message_is_refused_as_malformed()
    {
        await _pair.Client.SendAsync(ReadOnlyMemory<byte>.Empty, WebSocketMessageType.Text, endOfMessage: true, _timeout.Token);

        Assert.That(async () => await WebSocketFrames.ReceiveMessageAsync(_pair.Server, _timeout.Token), Throws.InstanceOf<JsonException>());
    }

    [Test]
    public async Task Peer_closing_reads_as_the_end_of_the_link()
    {
        var receiving = WebSocketFrames.ReceiveMessageAsync(_pair.Server, _timeout.Token);

        await _pair.Client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", _timeout.Token);

        Assert.That(await receiving, Is.Null);
    }

    /// <summary>A token chunk whose JSON is exactly <paramref name="bytes"/> long.</summary>
    private static TokenChunk ChunkOfSize(int bytes)
    {
        var overhead = NodeLinkProtocol.Serialize(new TokenChunk("job-1.1", string.Empty)).Length;
        var chunk = new TokenChunk("job-1.1", new string('x', bytes - overhead));
        Assert.That(NodeLinkProtocol.Serialize(chunk), Has.Length.EqualTo(bytes), "the test message's size");
        return chunk;
    }

    private async Task SendInFramesAsync(byte[] message, int frames)
    {
        var size = (message.Length + frames - 1) / frames;
        for (var offset = 0; offset < message.Length; offset += size)
        {
            var end = Math.Min(offset + size, message.Length);
            await _pair.Client.SendAsync(message.AsMemory(offset, end - offset), WebSocketMessageType.Text, endOfMessage: end == message.Length, _timeout.Token);
        }
    }
}
