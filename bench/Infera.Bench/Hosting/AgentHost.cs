using Infera.Identity;
using Infera.NodeAgent.Backends;
using Microsoft.Extensions.Logging;

namespace Infera.Bench.Hosting;

/// <summary>
/// A node agent process made of the product's own classes (<see cref="Infera.NodeAgent.NodeAgent"/> on
/// <see cref="OpenAiCompatibleBackend"/>), for when <c>infera-node run</c> cannot be started with the arguments the
/// benchmark needs. Same link, same backend adapter, same concurrency; only the command line differs.
/// </summary>
internal static class AgentHost
{
    public static async Task RunAsync(Uri silo, Uri backend, string model, int maxConcurrency, CancellationToken cancellationToken)
    {
        using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
        using var identity = NodeIdentity.Create();
        using var http = new HttpClient { BaseAddress = backend, Timeout = Timeout.InfiniteTimeSpan };
        var options = new Infera.NodeAgent.AgentOptions
        {
            Silos = [Infera.NodeAgent.AgentOptions.NodeLinkUri(silo)],
            Models = [model],
            MaxConcurrency = maxConcurrency,
        };
        var agent = new Infera.NodeAgent.NodeAgent(
            new OpenAiCompatibleBackend(http), identity, options, TimeProvider.System, loggers.CreateLogger<Infera.NodeAgent.NodeAgent>());
        await agent.RunAsync(cancellationToken);
    }
}
