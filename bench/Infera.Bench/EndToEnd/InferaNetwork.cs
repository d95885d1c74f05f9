using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Infera.Bench.Hosting;

namespace Infera.Bench.EndToEnd;

/// <summary>
/// The network under test as it is deployed: the embedded host (gateway and silo in one process) and node agents as
/// separate processes, each on the OpenAI-compatible backend adapter pointed at the simulated backend.
/// </summary>
internal static class InferaNetwork
{
    public const int AgentCount = 3;
    public const int AgentConcurrency = 600; // above any level's streams per agent, so capacity is never the limit

    public static async Task<ServingPath> StartAsync(string mode, int redundancy, Uri backend, string model, string workDirectory, CancellationToken cancellationToken)
    {
        var logs = Directory.CreateDirectory(Path.Combine(workDirectory, $"network-{mode}")).FullName;
        var data = Directory.CreateDirectory(Path.Combine(logs, "data")).FullName;
        var port = Loopback.FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var apiKey = Infera.Identity.ApiKeys.Generate();
        var host = ChildProcess.StartDotnet(
            "embedded host",
            BenchPaths.EmbeddedDll,
            ["--agents", "0", "--urls", $"http://127.0.0.1:{port}", "--data", data, $"--Infera:Jobs:Redundancy={redundancy}"],
            Path.Combine(logs, "host.log"),
            new Dictionary<string, string>(ChildProcess.ExtraEnvironment("INFERA_BENCH_HOST_ENV")) { ["INFERA_DEV_API_KEY"] = apiKey });
        var agents = new List<ChildProcess>();
        var path = new ServingPath(mode, $"k = {redundancy}", baseAddress, apiKey) { Host = host, Agents = agents, TemporaryDirectories = [data] };
        try
        {
            using var http = new HttpClient { BaseAddress = baseAddress };
            await Loopback.WaitUntilAsync(
                "the embedded host's /healthz", async ct => (await http.GetAsync(new Uri("/healthz", UriKind.Relative), ct)).IsSuccessStatusCode, host, TimeSpan.FromSeconds(60), cancellationToken);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);

            agents.AddRange(Enumerable.Range(0, AgentCount).Select(i => StartCliAgent(i, baseAddress, backend, model, data, logs)));
            if (await WaitForAgentsAsync(http, host, agents, model, cancellationToken) is { } exited)
            {
                path.Notes.Add($"`infera-node run` exited at start ({exited}); the agents ran as `Infera.Bench agent` processes instead: the same `NodeAgent` and `OpenAiCompatibleBackend` classes, only the command line differs.");
                foreach (var agent in agents)
                {
                    agent.Dispose();
                }

                agents.Clear();
                agents.AddRange(Enumerable.Range(0, AgentCount).Select(i => StartBenchAgent(i, baseAddress, backend, model, logs)));
                if (await WaitForAgentsAsync(http, host, agents, model, cancellationToken) is { } again)
                {
                    throw new InvalidOperationException($"The agents exited at start: {again}");
                }
            }

            return path;
        }
        catch
        {
            path.Dispose();
            throw;
        }
    }

    /// <summary>Reads back one job and says how it was verified: "verified, 3 assignments".</summary>
    public static async Task<string> DescribeJobAsync(ServingPath path, string jobId, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = path.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", path.ApiKey);
        using var job = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/v1/jobs/{jobId}", UriKind.Relative), cancellationToken));
        var root = job.RootElement;
        var assignments = root.GetProperty("assignments").GetArrayLength();
        var verification = root.TryGetProperty("verification", out var v) && v.ValueKind == JsonValueKind.Object
            ? v.GetProperty("status").GetString()
            : "none";
        return $"job {jobId}: status {root.GetProperty("status").GetString()}, {assignments} assignment(s), verification {verification}";
    }

    private static ChildProcess StartCliAgent(int i, Uri silo, Uri backend, string model, string data, string logs) => ChildProcess.StartDotnet(
        $"infera-node {i}",
        BenchPaths.NodeAgentDll,
        [
            "run", "--silo", silo.ToString(), "--backend", "openai", "--backend-url", backend.ToString(), "--model", model,
            "--max-concurrency", AgentConcurrency.ToString(CultureInfo.InvariantCulture), "--key-file", Path.Combine(data, $"agent-{i}.key"),
        ],
        Path.Combine(logs, $"agent-{i}.log"),
        ChildProcess.ExtraEnvironment("INFERA_BENCH_AGENT_ENV"));

    private static ChildProcess StartBenchAgent(int i, Uri silo, Uri backend, string model, string logs) => ChildProcess.StartDotnet(
        $"bench agent {i}",
        BenchPaths.BenchDll,
        ["agent", "--silo", silo.ToString(), "--backend-url", backend.ToString(), "--model", model, "--max-concurrency", AgentConcurrency.ToString(CultureInfo.InvariantCulture)],
        Path.Combine(logs, $"bench-agent-{i}.log"),
        ChildProcess.ExtraEnvironment("INFERA_BENCH_AGENT_ENV"));

    /// <summary>Null once every agent serves the model; the first line of an agent that exited instead.</summary>
    private static async Task<string?> WaitForAgentsAsync(HttpClient http, ChildProcess host, List<ChildProcess> agents, string model, CancellationToken cancellationToken)
    {
        string? exited = null;
        await Loopback.WaitUntilAsync(
            $"{agents.Count} agents serving {model}",
            async ct =>
            {
                if (agents.FirstOrDefault(a => a.HasExited) is { } dead)
                {
                    exited = $"{dead.Name}: {dead.FirstLogLine()}";
                    return true;
                }

                return NodesServing(await http.GetStringAsync(new Uri("/v1/models", UriKind.Relative), ct), model) == agents.Count;
            },
            host,
            TimeSpan.FromSeconds(60),
            cancellationToken);
        return exited;
    }

    private static int NodesServing(string models, string model)
    {
        using var doc = JsonDocument.Parse(models);
        foreach (var entry in doc.RootElement.GetProperty("data").EnumerateArray())
        {
            if (entry.GetProperty("id").GetString() == model)
            {
                return entry.GetProperty("infera").GetProperty("nodes").GetInt32();
            }
        }

        return 0;
    }
}
