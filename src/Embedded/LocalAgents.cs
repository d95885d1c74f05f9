using Infera.NodeAgent;
using Infera.NodeAgent.Backends;
using Infera.NodeLink;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Infera.Embedded;

/// <summary>
/// Starts the embedded network's own node agents once Kestrel listens. They dial the silo over a real WebSocket
/// like any remote agent. They use Ollama when it answers, else the simulated backend, and say which.
/// </summary>
internal sealed partial class LocalAgents(
    EmbeddedOptions options,
    DevApiKey devKey,
    IServer server,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILoggerFactory loggers) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WhenStartedAsync(stoppingToken);
        var silo = EmbeddedNetwork.BoundAddress(server);
        var (backend, description, models) = await ChooseBackendAsync(stoppingToken);
        var agents = new List<Infera.NodeAgent.NodeAgent>();
        var running = new List<Task>();
        for (var i = 0; i < options.Agents; i++)
        {
            var identity = KeyFile.LoadOrCreate(Path.Combine(options.DataDirectory, "agents", $"agent-{i}.key"), out _);
            var agent = new Infera.NodeAgent.NodeAgent(
                backend,
                identity,
                new AgentOptions { Silos = [silo], MaxConcurrency = backend.Kind == "simulated" ? 256 : 4 },
                clock,
                loggers.CreateLogger<Infera.NodeAgent.NodeAgent>());
            agents.Add(agent);
            running.Add(agent.RunAsync(stoppingToken));
        }

        try
        {
            await Task.WhenAll(agents.Select(a => a.WaitUntilConnectedAsync(stoppingToken))).WaitAsync(TimeSpan.FromSeconds(15), stoppingToken);
        }
        catch (TimeoutException)
        {
            LogAgentsSlow(loggers.CreateLogger<LocalAgents>(), options.Agents);
        }

        if (options.PrintBanner)
        {
            Console.Out.Write(Banner.Render(silo, devKey.Key, options.Agents, description, [.. models.Select(m => m.Name)]));
        }

        await Task.WhenAll(running);
    }

    private Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }

    /// <summary>The backend the local agents share, what to call it, and the models it offers.</summary>
    private async Task<(IInferenceBackend Backend, string Description, IReadOnlyList<ModelOffer> Models)> ChooseBackendAsync(CancellationToken cancellationToken)
    {
        if (!options.ForceSimulated && options.Agents > 0)
        {
            var ollama = new OllamaBackend(new HttpClient { BaseAddress = options.OllamaUrl, Timeout = Timeout.InfiniteTimeSpan });
            try
            {
                using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                probe.CancelAfter(TimeSpan.FromSeconds(1));
                if (await ollama.ListModelsAsync(probe.Token) is { Count: > 0 } offered)
                {
                    return (ollama, $"Ollama at {options.OllamaUrl}", offered);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or BackendException)
            {
                // No Ollama here: fall through to the simulator.
            }
        }

        var simulated = new SimulatedBackend(
            new SimulatedBackendOptions { TimeToFirstToken = options.SimulatedTimeToFirstToken, TokensPerSecond = options.SimulatedTokensPerSecond },
            clock);
        return (simulated, "SIMULATED backend (no Ollama answered on localhost:11434): generated text, not a real model", await simulated.ListModelsAsync(cancellationToken));
    }

    [LoggerMessage(5001, LogLevel.Warning, "Not all {Count} local agents connected within 15 s")]
    private static partial void LogAgentsSlow(ILogger logger, int count);
}
