using System.ClientModel;
using System.Net.Http.Headers;
using Infera.Embedded;
using Infera.Identity;
using Infera.NodeAgent.Backends;
using Infera.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Chat;

namespace Infera.EndToEndTests.Support;

/// <summary>
/// A real embedded network on 127.0.0.1 (Kestrel on a free port, a SQLite file in a temp folder) and real agents
/// that dial it over WebSockets. Each test builds its own, so tests share nothing.
/// </summary>
public sealed class TestNetwork : IAsyncDisposable
{
    private readonly List<TestAgent> _agents = [];
    private readonly bool _ownsDirectory;

    private TestNetwork(WebApplication app, string dataDirectory, bool ownsDirectory, string apiKey)
    {
        App = app;
        DataDirectory = dataDirectory;
        _ownsDirectory = ownsDirectory;
        ApiKey = apiKey;
        BaseAddress = EmbeddedNetwork.BoundAddress(app.Services.GetRequiredService<IServer>());
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    public WebApplication App { get; }

    public string DataDirectory { get; }

    public Uri BaseAddress { get; }

    public string ApiKey { get; }

    /// <summary>An HTTP client that sends <see cref="ApiKey"/>.</summary>
    public HttpClient Http { get; }

    public IReadOnlyList<TestAgent> Agents => _agents;

    /// <summary>Starts a network; <paramref name="settings"/> are configuration pairs such as <c>--Infera:Jobs:Redundancy=1</c>.</summary>
    public static async Task<TestNetwork> StartAsync(string? dataDirectory = null, string? apiKey = null, params string[] settings) =>
        await StartAsync("http://127.0.0.1:0", dataDirectory, apiKey, settings);

    /// <summary>Starts a network on <paramref name="urls"/> (a fixed port, so a restarted network is found again).</summary>
    public static async Task<TestNetwork> StartAsync(string urls, string? dataDirectory, string? apiKey, params string[] settings)
    {
        var owns = dataDirectory is null;
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "infera-e2e-" + Guid.NewGuid().ToString("N"));
        var app = EmbeddedNetwork.Build(
            new EmbeddedOptions { Urls = urls, DataDirectory = dataDirectory, Agents = 0, PrintBanner = false },
            ["--Logging:LogLevel:Default=Warning", .. settings]);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));

        apiKey ??= ApiKeys.Generate();
        await app.Services.GetRequiredService<IApiKeyStore>().CreateAsync(
            ApiKeyRecord.For(apiKey, "test", "tenant-a", DateTimeOffset.UtcNow),
            CancellationToken.None);
        return new TestNetwork(app, dataDirectory, owns, apiKey);
    }

    /// <summary>Creates another key, of another tenant.</summary>
    public async Task<string> CreateKeyAsync(string tenant)
    {
        var key = ApiKeys.Generate();
        await App.Services.GetRequiredService<IApiKeyStore>().CreateAsync(
            ApiKeyRecord.For(key, "test", tenant, DateTimeOffset.UtcNow),
            CancellationToken.None);
        return key;
    }

    /// <summary>Starts an agent on <paramref name="backend"/> and waits until the silo has welcomed it.</summary>
    public async Task<TestAgent> AddAgentAsync(IInferenceBackend backend, int maxConcurrency = 8)
    {
        var agent = TestAgent.Start(backend, BaseAddress, maxConcurrency);
        _agents.Add(agent);
        await agent.WaitConnectedAsync();
        return agent;
    }

    public ChatClient ChatClient(string model, string? apiKey = null) =>
        new(model, new ApiKeyCredential(apiKey ?? ApiKey), new OpenAIClientOptions { Endpoint = new Uri(BaseAddress, "/v1"), NetworkTimeout = TimeSpan.FromSeconds(30) });

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
        {
            await agent.DisposeAsync();
        }

        Http.Dispose();
        await App.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await App.DisposeAsync();
        if (_ownsDirectory)
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
