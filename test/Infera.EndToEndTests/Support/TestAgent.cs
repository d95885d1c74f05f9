using Infera.Identity;
using Infera.NodeAgent;
using Infera.NodeAgent.Backends;
using Microsoft.Extensions.Logging.Abstractions;

namespace Infera.EndToEndTests.Support;

/// <summary>A real node agent in the test process; <see cref="Kill"/> drops its socket the way a crash would.</summary>
public sealed class TestAgent : IAsyncDisposable
{
    private readonly CancellationTokenSource _life = new();
    private readonly Infera.NodeAgent.NodeAgent _agent;
    private readonly NodeIdentity _identity = NodeIdentity.Create();
    private readonly Task _running;

    private TestAgent(IInferenceBackend backend, Uri silo, int maxConcurrency)
    {
        _agent = new Infera.NodeAgent.NodeAgent(
            backend,
            _identity,
            new AgentOptions { Silos = [silo], MaxConcurrency = maxConcurrency, MinReconnectDelay = TimeSpan.FromMilliseconds(100) },
            TimeProvider.System,
            NullLogger<Infera.NodeAgent.NodeAgent>.Instance);
        _running = _agent.RunAsync(_life.Token);
    }

    public string Address => _identity.Address.Value;

    /// <summary>Links established so far, the first one included.</summary>
    public int Connections => _agent.Connections;

    public static TestAgent Start(IInferenceBackend backend, Uri silo, int maxConcurrency) => new(backend, silo, maxConcurrency);

    public Task WaitConnectedAsync() =>
        _agent.WaitUntilConnectedAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));

    /// <summary>Stops the agent at once: no goodbye, no failure reports, the socket just goes.</summary>
    public void Kill() => _life.Cancel();

    public async ValueTask DisposeAsync()
    {
        await _life.CancelAsync();
        await _running.WaitAsync(TimeSpan.FromSeconds(10));
        _life.Dispose();
        _identity.Dispose();
    }
}
