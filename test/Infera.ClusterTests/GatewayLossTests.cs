using System.Net.Http.Json;
using System.Text.Json;
using Infera.ClusterTests.Support;

namespace Infera.ClusterTests;

/// <summary>A gateway that dies takes only its client connections with it: the jobs it submitted run on.</summary>
public sealed class GatewayLossTests
{
    [Test]
    [CancelAfter(180_000)]
    public async Task Jobs_of_a_killed_gateway_still_finish_and_are_readable_through_another_gateway()
    {
        await using var cluster = await TestCluster.StartAsync(silos: 2, gateways: 2, agents: 3);
        var (survivor, victim) = (cluster.Gateways[0], cluster.Gateways[1]);

        // Long answers (about 2 s each), so the gateway dies while they stream.
        var streams = Enumerable.Range(0, 4).Select(_ => StartStreamAsync(cluster, victim.Url)).ToList();
        var jobIds = new List<string>();
        foreach (var stream in streams)
        {
            jobIds.Add(await stream.WaitAsync(TimeSpan.FromSeconds(30)));
        }

        victim.Kill();

        var endings = new Dictionary<string, string?>();
        foreach (var jobId in jobIds)
        {
            endings[jobId] = await cluster.WaitForJobEndAsync(survivor.Url, jobId, TimeSpan.FromSeconds(40));
        }

        TestContext.Out.WriteLine($"gateway loss: {jobIds.Count} jobs streaming through the killed gateway; endings read through the other: "
            + string.Join(", ", endings.Values.GroupBy(s => s ?? "not found").Select(g => $"{g.Count()} {g.Key}")));
        Assert.That(endings.Values, Has.All.EqualTo("completed"), "each job the dead gateway submitted completes, and another gateway reads it");
    }

    /// <summary>Starts a streamed completion, waits for its first text, and returns the job id (the stream is left open).</summary>
    private static async Task<string> StartStreamAsync(TestCluster cluster, Uri gateway)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "/v1/chat/completions"))
        {
            Content = JsonContent.Create(new
            {
                model = TestCluster.Model,
                stream = true,
                max_tokens = 300,
                messages = new[] { new { role = "user", content = $"Write at length, {Guid.NewGuid():N}" } },
            }),
        };
        var response = await cluster.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
        var jobId = response.Headers.GetValues("x-infera-job-id").Single();
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line && !line.Contains("\"content\"", StringComparison.Ordinal))
        {
        }

        return jobId; // the response stays open until the gateway dies under it
    }
}
