using Microsoft.Extensions.Hosting;

namespace Infera.Silo.Hosting;

/// <summary>
/// When node links close. By default as soon as the host begins to stop. A silo that drains first
/// (<see cref="DrainFirst"/>) lets running assignments finish and tells agents to go elsewhere, and only then closes
/// what is left. New links are refused from the start of either.
/// </summary>
public sealed class NodeLinkShutdown : IDisposable
{
    private readonly CancellationTokenSource _closing = new();
    private readonly CancellationTokenRegistration _onStopping;

    public NodeLinkShutdown(IHostApplicationLifetime lifetime) =>
        _onStopping = lifetime.ApplicationStopping.Register(() =>
        {
            RefusesNewLinks = true;
            if (!DrainFirst)
            {
                Close();
            }
        });

    /// <summary>Cancelled when the remaining links must close.</summary>
    public CancellationToken Closing => _closing.Token;

    /// <summary>Whether new links are refused (the silo is draining or stopping).</summary>
    public bool RefusesNewLinks { get; private set; }

    /// <summary>Set by a drain that closes the links itself when it is done.</summary>
    public bool DrainFirst { get; set; }

    public void Close()
    {
        RefusesNewLinks = true;
        if (!_closing.IsCancellationRequested)
        {
            _closing.Cancel();
        }
    }

    public void Dispose()
    {
        _onStopping.Dispose();
        _closing.Dispose();
    }
}
