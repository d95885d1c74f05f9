using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Infera.Identity;
using Infera.NodeAgent;
using Infera.NodeAgent.Backends;
using Infera.Storage;
using Infera.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Infera.ClusterTests.Support;

/// <summary>
/// A cluster on this machine: silos and gateways as separate processes that share nothing but a PostgreSQL database
/// and a RabbitMQ broker (their own database and queue prefix), and node agents in the test process that dial the
/// silos over real WebSockets.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    public const string Model = "simulated-llama-3.2-1b";

    private readonly CancellationTokenSource _agentsLife = new();
    private readonly List<Task> _agentRuns = [];

    private TestCluster(TestDatabase database, string prefix)
    {
        Database = database;
        QueuePrefix = prefix;
    }

    public TestDatabase Database { get; }

    public string QueuePrefix { get; }

    public List<HostProcess> Silos { get; } = [];

    public List<HostProcess> Gateways { get; } = [];

    public List<Infera.NodeAgent.NodeAgent> Agents { get; } = [];

    public string ApiKey { get; private set; } = string.Empty;

    public HttpClient Client { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>
    /// Starts the silos (with <paramref name="siloEnvironment"/> over the usual settings) and gateways, waits until they
    /// are ready, and connects the agents: simulated nodes that answer <paramref name="tokensPerSecond"/>.
    /// </summary>
    public static async Task<TestCluster> StartAsync(
        int silos, int gateways, int agents, int tokensPerSecond = 150, IReadOnlyList<(string Key, string Value)>? siloEnvironment = null)
    {
        var cluster = new TestCluster(await TestDatabase.CreateAsync(), "t" + Guid.NewGuid().ToString("N")[..10]);
        try
        {
            for (var i = 1; i <= silos; i++)
            {
                cluster.Silos.Add(HostProcess.Start($"silo-{i}", "infera-silo", cluster.Environment([("Infera__Silo__SiloId", $"silo-{i}"), .. siloEnvironment ?? []])));
            }

            for (var i = 1; i <= gateways; i++)
            {
                cluster.Gateways.Add(HostProcess.Start($"gateway-{i}", "infera-gateway", cluster.Environment(("Infera__Gateway__GatewayId", $"gateway-{i}"))));
            }

            foreach (var host in cluster.Silos.Concat(cluster.Gateways))
            {
                await host.WaitReadyAsync(TimeSpan.FromSeconds(60));
            }

            cluster.ApiKey = await cluster.CreateApiKeyAsync();
            cluster.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", cluster.ApiKey);
            var siloUrls = cluster.Silos.Select(s => s.Url).ToList();
            for (var i = 0; i < agents; i++)
            {
                cluster.StartAgent(siloUrls, tokensPerSecond);
            }

            await cluster.WaitForNodesAsync(agents, TimeSpan.FromSeconds(30));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>What a cluster process is told: the shared store and broker, short leases so a loss is seen quickly.</summary>
    public Dictionary<string, string> Environment(params (string Key, string Value)[] extra)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Infera__Postgres__ConnectionString"] = Database.ConnectionString,
            ["Infera__Postgres__SiloLease"] = "00:00:02.500",
            ["Infera__RabbitMq__Uri"] = ClusterServices.RabbitMq,
            ["Infera__RabbitMq__QueuePrefix"] = QueuePrefix,
            ["Infera__Cluster__HeartbeatInterval"] = "00:00:00.500",
            ["Infera__Cluster__SiloLease"] = "00:00:02.500",
            ["Infera__Cluster__RescueInterval"] = "00:00:01",
            ["Infera__Cluster__DrainTimeout"] = "00:00:10",
            ["Infera__Gateway__RefreshInterval"] = "00:00:00.500",
            ["Infera__Gateway__SiloLease"] = "00:00:02.500",
            ["Infera__Gateway__JobIdleTimeout"] = "00:00:30",
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        };
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>Waits until every gateway lists <paramref name="count"/> nodes serving the model.</summary>
    public async Task WaitForNodesAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var gateway in Gateways.Where(g => !g.HasExited))
        {
            int nodes;
            do
            {
                using var models = await Client.GetFromJsonAsync<JsonDocument>(new Uri(gateway.Url, "/v1/models"));
                nodes = models!.RootElement.GetProperty("data").EnumerateArray()
                    .Where(m => m.GetProperty("id").GetString() == Model)
                    .Select(m => m.GetProperty("infera").GetProperty("nodes").GetInt32())
                    .FirstOrDefault();
                if (nodes == count)
                {
                    break;
                }

                await Task.Delay(200);
            }
            while (DateTime.UtcNow < deadline);

            Assert.That(nodes, Is.EqualTo(count), $"{gateway.Name} lists {nodes} nodes for {Model} after {timeout.TotalSeconds:F0} s; silos:\n{string.Join("\n", Silos.Select(s => s.Output))}");
        }
    }

    /// <summary>Starts one more gateway, with <paramref name="extra"/> over the usual settings, and waits until it is ready.</summary>
    public async Task<HostProcess> AddGatewayAsync(string name, params (string Key, string Value)[] extra)
    {
        var gateway = HostProcess.Start(name, "infera-gateway", Environment([("Infera__Gateway__GatewayId", name), .. extra]));
        Gateways.Add(gateway);
        await gateway.WaitReadyAsync(TimeSpan.FromSeconds(60));
        return gateway;
    }

    private void StartAgent(IReadOnlyList<Uri> silos, int tokensPerSecond)
    {
        var agent = new Infera.NodeAgent.NodeAgent(
            new SimulatedBackend(new SimulatedBackendOptions { Models = [Model], TimeToFirstToken = TimeSpan.FromMilliseconds(30), TokensPerSecond = tokensPerSecond }, TimeProvider.System),
            NodeIdentity.Create(),
            new AgentOptions { Silos = [.. silos], MaxConcurrency = 4, MinReconnectDelay = TimeSpan.FromMilliseconds(100), MaxReconnectDelay = TimeSpan.FromSeconds(1) },
            TimeProvider.System,
            NullLogger<Infera.NodeAgent.NodeAgent>.Instance);
        Agents.Add(agent);
        _agentRuns.Add(agent.RunAsync(_agentsLife.Token));
    }

    /// <summary>Makes a new API key in the cluster's store, as an operator would: <c>infera-gateway keys create</c>.</summary>
    public async Task<string> CreateApiKeyAsync()
    {
        var (exitCode, output, error) = await HostProcess.RunCommandAsync(
            "infera-gateway",
            ["keys", "create", "--name", "cluster test"],
            new Dictionary<string, string> { ["Infera__Postgres__ConnectionString"] = Database.ConnectionString },
            TimeSpan.FromSeconds(60));
        Assert.That(exitCode, Is.Zero, $"infera-gateway keys create failed: {error}");
        return output.Trim();
    }

    /// <summary>Polls <c>GET /v1/jobs/{id}</c> until the job is no longer running; its last status, or null if never found.</summary>
    public async Task<string?> WaitForJobEndAsync(Uri gateway, string jobId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        string? status = null;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await Client.GetAsync(new Uri(gateway, $"/v1/jobs/{jobId}"));
            if (response.IsSuccessStatusCode)
            {
                using var job = await response.Content.ReadFromJsonAsync<JsonDocument>();
                status = job!.RootElement.GetProperty("status").GetString();
                if (status != "running")
                {
                    return status;
                }
            }

            await Task.Delay(250);
        }

        return status;
    }

    public async ValueTask DisposeAsync()
    {
        await _agentsLife.CancelAsync();
        await Task.WhenAll(_agentRuns).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var host in Silos.Concat(Gateways))
        {
            await host.DisposeAsync();
        }

        Client.Dispose();
        _agentsLife.Dispose();
        await Database.DisposeAsync();
    }

    public static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s";
}
