using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Infera.ClusterTests.Support;
using Npgsql;

namespace Infera.ClusterTests;

/// <summary>
/// A gateway process whose broker or database goes away answers 503 with an OpenAI error at once, says so on
/// <c>/readyz</c>, and serves again by itself when the server comes back. The network between the gateway and the
/// server runs through a <see cref="TcpProxy"/> the test cuts; the silo and agents keep their own direct paths.
/// </summary>
/// <remarks>Not parallel with other tests: they measure how fast the gateway answers.</remarks>
[NonParallelizable]
public sealed class OutageTests
{
    /// <summary>A clear answer takes milliseconds; 2 s leaves room for a loaded 2-core machine and is still "at once" to a client.</summary>
    private static readonly TimeSpan FastAnswer = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan Notice = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(15);

    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan }; // each request carries its own bound

    [Test]
    [CancelAfter(180_000)]
    public async Task Gateway_that_loses_RabbitMQ_answers_503_at_once_and_serves_again_when_it_returns()
    {
        await using var cluster = await TestCluster.StartAsync(silos: 1, gateways: 0, agents: 1);
        await using var proxy = TcpProxy.InFrontOfRabbitMq();
        var gateway = await cluster.AddGatewayAsync("gateway-1", ("Infera__RabbitMq__Uri", proxy.RabbitMqUri));
        await cluster.WaitForNodesAsync(1, TimeSpan.FromSeconds(30));
        var before = await ChatAsync(gateway, cluster.ApiKey);
        Assert.That(before.Status, Is.EqualTo(200), $"a chat completion before the outage: {before}");
        Assert.That(proxy.Accepted, Is.GreaterThan(0), "the gateway did not reach RabbitMQ through the proxy");

        proxy.Cut();
        var noticed = await Waits.UntilAsync(async () => await gateway.ReadyzAsync() == 503, Notice, TimeSpan.FromMilliseconds(100), "/readyz answering 503 after RabbitMQ went away");
        var during = await OutageAnswersAsync(() => ChatAsync(gateway, cluster.ApiKey));

        proxy.Restore();
        var (ready, served) = await RecoverAsync(gateway, () => ChatAsync(gateway, cluster.ApiKey));
        Report("RabbitMQ", noticed, during, ready, served);
        AssertOutage(during, ready, served);
    }

    [Test]
    [CancelAfter(180_000)]
    public async Task Gateway_that_loses_PostgreSQL_answers_503_at_once_and_serves_again_when_it_returns()
    {
        await using var cluster = await TestCluster.StartAsync(silos: 1, gateways: 0, agents: 1);
        var database = new NpgsqlConnectionStringBuilder(cluster.Database.ConnectionString);
        await using var proxy = TcpProxy.Start(database.Host!, database.Port);
        var gateway = await cluster.AddGatewayAsync("gateway-1",
            ("Infera__Postgres__ConnectionString", new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port }.ConnectionString));
        await cluster.WaitForNodesAsync(1, TimeSpan.FromSeconds(30));
        var before = await ChatAsync(gateway, cluster.ApiKey);
        Assert.That(before is { Status: 200, JobId: not null }, $"a chat completion before the outage: {before}");
        var jobId = before.JobId!;
        await Waits.UntilAsync(async () => (await GetJobAsync(gateway, cluster.ApiKey, jobId)).Status == 200, Notice, TimeSpan.FromMilliseconds(100), "the finished job readable");
        // A key the gateway has not seen: checking it needs the store (known keys are cached for a minute).
        var newKey = await cluster.CreateApiKeyAsync();

        proxy.Cut();
        var noticed = await Waits.UntilAsync(async () => await gateway.ReadyzAsync() == 503, Notice, TimeSpan.FromMilliseconds(100), "/readyz answering 503 after PostgreSQL went away");
        var during = await OutageAnswersAsync(() => GetJobAsync(gateway, cluster.ApiKey, jobId), () => ChatAsync(gateway, newKey));

        proxy.Restore();
        var (ready, served) = await RecoverAsync(gateway, () => GetJobAsync(gateway, cluster.ApiKey, jobId), () => ChatAsync(gateway, newKey));
        Report("PostgreSQL", noticed, during, ready, served);
        AssertOutage(during, ready, served);
    }

    /// <summary>Asks each request three times while the server is away.</summary>
    private static async Task<List<Answer>> OutageAnswersAsync(params Func<Task<Answer>>[] requests)
    {
        var answers = new List<Answer>();
        for (var round = 0; round < 3; round++)
        {
            foreach (var request in requests)
            {
                answers.Add(await request());
            }
        }

        return answers;
    }

    /// <summary>How long after the server's return /readyz said 200, and every request succeeded (each tried until it does).</summary>
    private static async Task<(TimeSpan Ready, TimeSpan Served)> RecoverAsync(HostProcess gateway, params Func<Task<Answer>>[] requests)
    {
        var clock = Stopwatch.StartNew();
        await Waits.UntilAsync(async () => await gateway.ReadyzAsync() == 200, Recovery * 2, TimeSpan.FromMilliseconds(100), "/readyz answering 200 after the server came back");
        var ready = clock.Elapsed;
        foreach (var request in requests)
        {
            await Waits.UntilAsync(async () => (await request()).Status == 200, Recovery * 2, TimeSpan.FromMilliseconds(100), "a request succeeding after the server came back");
        }

        return (ready, clock.Elapsed);
    }

    private static void AssertOutage(List<Answer> during, TimeSpan ready, TimeSpan served)
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(during.Select(a => a.Status), Has.All.EqualTo(503), string.Join("\n", during));
            Assert.That(during.Select(a => a.ErrorCode), Has.All.EqualTo("unavailable"), "503s carry an OpenAI error object with code 'unavailable'");
            Assert.That(during.Select(a => a.Elapsed), Has.All.LessThan(FastAnswer), "503s come at once");
            Assert.That(ready, Is.LessThan(Recovery), "/readyz back to 200");
            Assert.That(served, Is.LessThan(Recovery), "requests served again");
        }
    }

    private static void Report(string server, TimeSpan noticed, List<Answer> during, TimeSpan ready, TimeSpan served) =>
        TestContext.Out.WriteLine(
            $"{server} cut: /readyz 503 after {TestCluster.Seconds(noticed)}; {during.Count} requests during the outage answered "
            + $"{string.Join(", ", during.Select(a => a.Status).Distinct())} in max {TestCluster.Seconds(during.Max(a => a.Elapsed))}; "
            + $"restored: /readyz 200 after {TestCluster.Seconds(ready)}, requests served after {TestCluster.Seconds(served)}");

    private static Task<Answer> ChatAsync(HostProcess gateway, string apiKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway.Url, "/v1/chat/completions"))
        {
            Content = JsonContent.Create(new
            {
                model = TestCluster.Model,
                max_tokens = 8,
                messages = new[] { new { role = "user", content = "Are you there?" } },
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return SendAsync(request);
    }

    private static Task<Answer> GetJobAsync(HostProcess gateway, string apiKey, string jobId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.Url, $"/v1/jobs/{jobId}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return SendAsync(request);
    }

    /// <summary>Sends and times one request; one that gets no answer within 30 s comes back as status 0.</summary>
    private static async Task<Answer> SendAsync(HttpRequestMessage request)
    {
        using var _ = request;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await Http.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var jobId = response.Headers.TryGetValues("x-infera-job-id", out var ids) ? ids.First() : null;
            return new Answer((int)response.StatusCode, ErrorCode(body), clock.Elapsed, jobId, body);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return new Answer(0, null, clock.Elapsed, null, $"{request.Method} {request.RequestUri}: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static string? ErrorCode(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("code", out var code)
                ? code.GetString()
                : null; // a job's view carries "error": null
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record Answer(int Status, string? ErrorCode, TimeSpan Elapsed, string? JobId, string Body)
    {
        public override string ToString() => $"HTTP {Status} in {TestCluster.Seconds(Elapsed)}: {(Body.Length > 300 ? Body[..300] : Body)}";
    }
}
