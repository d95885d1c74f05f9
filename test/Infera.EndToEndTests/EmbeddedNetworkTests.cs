using System.Net.Http.Headers;
using System.Text.Json;
using Infera.Embedded;
using Infera.EndToEndTests.Support;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Infera.EndToEndTests;

/// <summary>The network exactly as the README's first command starts it: its own agents, simulated backend, dev key.</summary>
public sealed class EmbeddedNetworkTests
{
    [Test]
    public async Task The_one_command_network_serves_a_streamed_completion_from_its_simulated_agents()
    {
        var directory = Path.Combine(Path.GetTempPath(), "infera-embedded-" + Guid.NewGuid().ToString("N"));
        var app = EmbeddedNetwork.Build(new EmbeddedOptions { Urls = "http://127.0.0.1:0", DataDirectory = directory, ForceSimulated = true, PrintBanner = false }, ["--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = EmbeddedNetwork.BoundAddress(app.Services.GetRequiredService<IServer>()) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.Services.GetRequiredService<DevApiKey>().Key);

            // The agents dial in once Kestrel listens; wait until all three serve the simulated model.
            JsonElement model = default;
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while (DateTime.UtcNow < deadline)
            {
                using var models = JsonDocument.Parse(await http.GetStringAsync("/v1/models"));
                var data = models.RootElement.GetProperty("data");
                if (data.GetArrayLength() == 1 && data[0].GetProperty("infera").GetProperty("nodes").GetInt32() == 3)
                {
                    model = data[0].Clone();
                    break;
                }

                await Task.Delay(50);
            }

            Assert.That(model.ValueKind, Is.EqualTo(JsonValueKind.Object), "three local agents did not connect within 15 s");
            var name = model.GetProperty("id").GetString()!;
            Assert.That(name, Does.Contain("simulated"));
            Assert.That(model.GetProperty("infera").GetProperty("simulated").GetBoolean(), Is.True);
            Assert.That(model.GetProperty("owned_by").GetString(), Is.EqualTo("infera-simulated"));

            using var response = await Sse.PostStreamAsync(http, $"{{\"model\":\"{name}\",\"stream\":true,\"messages\":[{{\"role\":\"user\",\"content\":\"Hello, network!\"}}]}}");
            var events = new List<string>();
            await foreach (var data in Sse.ReadDataAsync(response))
            {
                events.Add(data);
            }

            using var first = JsonDocument.Parse(events[0]);
            using var finish = JsonDocument.Parse(events[^2]);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
                Assert.That(response.Headers.GetValues("x-infera-job-id").Single(), Does.StartWith("job-"));
                Assert.That(first.RootElement.GetProperty("object").GetString(), Is.EqualTo("chat.completion.chunk"));
                Assert.That(first.RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString(), Is.EqualTo("assistant"));
                Assert.That(events.Count, Is.GreaterThan(3));
                Assert.That(finish.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString(), Is.EqualTo("stop"));
                Assert.That(events[^1], Is.EqualTo("[DONE]"));
            }
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            Directory.Delete(directory, recursive: true);
        }
    }
}
