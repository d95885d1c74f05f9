using System.Net.Http.Json;
using Infera.EndToEndTests.Fakes;
using Infera.Jobs;
using Infera.NodeAgent.Backends;

namespace Infera.EndToEndTests.Support;

/// <summary>The usual shapes of a test network, and reading jobs back.</summary>
public static class Networks
{
    public const string Model = "llama3.2:1b";

    /// <summary>
    /// A network whose three agents run on three real adapters against loopback servers that speak the real wire
    /// formats: Ollama's NDJSON twice, an OpenAI-compatible server's SSE once. All answer one model identically.
    /// </summary>
    public static async Task<(TestNetwork Network, FakeOllamaServer Ollama, FakeOpenAiServer OpenAi)> WithThreeAdapterAgentsAsync(
        int extraOllamaAgents = 0, params string[] settings)
    {
        var ollama = await FakeOllamaServer.StartAsync(Model);
        var openAi = await FakeOpenAiServer.StartAsync(Model);
        var network = await TestNetwork.StartAsync(settings: settings);
        await network.AddAgentAsync(new OllamaBackend(Http(ollama.BaseAddress)));
        await network.AddAgentAsync(new OpenAiCompatibleBackend(Http(openAi.BaseAddress)));
        for (var i = 0; i < 1 + extraOllamaAgents; i++)
        {
            await network.AddAgentAsync(new OllamaBackend(Http(ollama.BaseAddress)));
        }

        return (network, ollama, openAi);
    }

    public static HttpClient Http(Uri baseAddress) => new() { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };

    public static async Task<JobView> GetJobAsync(this TestNetwork network, string jobId) =>
        (await network.Http.GetFromJsonAsync<JobView>($"/v1/jobs/{jobId}"))!;

    /// <summary>Polls the job until it has settled (its verification runs after the client's answer).</summary>
    public static async Task<JobView> WaitForSettledJobAsync(this TestNetwork network, string jobId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var job = await network.GetJobAsync(jobId);
            if (job.Status != JobStatuses.Running)
            {
                return job;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Job {jobId} was still running after 20 s.");
            }

            await Task.Delay(50);
        }
    }
}
