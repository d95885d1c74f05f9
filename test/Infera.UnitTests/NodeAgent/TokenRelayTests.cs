using Infera.NodeAgent;
using Infera.NodeLink;

namespace Infera.UnitTests.NodeAgent;

public sealed class TokenRelayTests
{
    private readonly ManualClock _clock = new();
    private readonly List<NodeLinkMessage> _sent = [];

    private TokenRelay Relay(int flushMs) => new("job-1.2", m =>
    {
        _sent.Add(m);
        return true;
    }, TimeSpan.FromMilliseconds(flushMs), _clock);

    private IEnumerable<string> Frames => _sent.Cast<TokenChunk>().Select(t => t.Text);

    [Test]
    public void Without_a_flush_interval_every_token_goes_at_once()
    {
        var relay = Relay(0);

        relay.Add("Par");
        relay.Add("is");

        Assert.That(Frames, Is.EqualTo(new[] { "Par", "is" }));
    }

    [Test]
    public void Replica_sends_its_first_token_at_once_then_holds_text_for_the_interval()
    {
        var relay = Relay(250);

        relay.Add("Paris");
        _clock.Advance(TimeSpan.FromMilliseconds(10));
        relay.Add(" is");
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        relay.Add(" the");
        Assert.That(Frames, Is.EqualTo(new[] { "Paris" }), "held while the interval since the last frame runs");

        _clock.Advance(TimeSpan.FromMilliseconds(140));
        relay.Add(" capital");
        Assert.That(Frames, Is.EqualTo(new[] { "Paris", " is the capital" }), "the interval passed: everything held leaves as one frame");

        relay.Add(" of");
        relay.Flush();
        relay.Flush();
        Assert.That(Frames, Is.EqualTo(new[] { "Paris", " is the capital", " of" }), "a flush sends what is held, once");
        Assert.That(_sent.Cast<TokenChunk>().Select(t => t.AssignmentId), Is.All.EqualTo("job-1.2"));
    }

    [Test]
    public void Promoted_replica_sends_what_it_held_then_every_token_at_once()
    {
        var relay = Relay(250);
        relay.Add("Paris");
        relay.Add(" is");

        relay.GoLive();
        relay.Add(" the");

        Assert.That(Frames, Is.EqualTo(new[] { "Paris", " is", " the" }));
    }
}
