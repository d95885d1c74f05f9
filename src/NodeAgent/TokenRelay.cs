using System.Text;
using Infera.NodeLink;

namespace Infera.NodeAgent;

/// <summary>
/// Sends one assignment's text to the silo. A primary's tokens go at once, each as it comes. A replica's first token
/// goes at once (the silo times the node from it); the rest is held and sent at most every flush interval, because
/// nobody reads a replica live: the silo needs its text only to verify it, or to continue the client's stream if the
/// primary fails, and then it promotes the replica and gets every held and later token at once.
/// </summary>
internal sealed class TokenRelay(string assignmentId, Func<NodeLinkMessage, bool> post, TimeSpan flushInterval, TimeProvider clock)
{
    private readonly Lock _lock = new();
    private readonly StringBuilder _held = new();
    private bool _live = flushInterval <= TimeSpan.Zero;
    private bool _sentAny;
    private long _lastSent;

    public void Add(string text)
    {
        lock (_lock)
        {
            if (_live || !_sentAny)
            {
                Send(text);
                return;
            }

            _held.Append(text);
            if (clock.GetElapsedTime(_lastSent) >= flushInterval)
            {
                Send(Take());
            }
        }
    }

    /// <summary>The assignment now streams to the client: what is held goes now, later tokens at once.</summary>
    public void GoLive()
    {
        lock (_lock)
        {
            _live = true;
            Flush();
        }
    }

    /// <summary>Sends what is held (before the assignment's result, which must follow all of its text).</summary>
    public void Flush()
    {
        lock (_lock)
        {
            if (_held.Length > 0)
            {
                Send(Take());
            }
        }
    }

    private string Take()
    {
        var text = _held.ToString();
        _held.Clear();
        return text;
    }

    private void Send(string text)
    {
        post(new TokenChunk(assignmentId, text));
        _sentAny = true;
        _lastSent = clock.GetTimestamp();
    }
}
