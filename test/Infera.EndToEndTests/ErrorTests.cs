using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using Infera.EndToEndTests.Support;
using Infera.NodeAgent.Backends;
using Infera.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace Infera.EndToEndTests;

/// <summary>Bad input and refusals come back as OpenAI error objects with the right status.</summary>
public sealed class ErrorTests
{
    private static async Task<(int Status, JsonElement Error)> PostAsync(TestNetwork network, string body, string? apiKey = "default")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = apiKey switch
        {
            "default" => new("Bearer", network.ApiKey),
            null => null,
            _ => new("Bearer", apiKey),
        };
        using var client = new HttpClient { BaseAddress = network.BaseAddress };
        using var response = await client.SendAsync(request);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        return ((int)response.StatusCode, json.GetProperty("error"));
    }

    [Test]
    public async Task Official_client_gets_404_model_not_found_401_and_400_as_OpenAI_errors()
    {
        var (network, ollama, openAi) = await Networks.WithThreeAdapterAgentsAsync();
        await using (network)
        await using (ollama)
        await using (openAi)
        {
            var missing = Assert.ThrowsAsync<ClientResultException>(() => network.ChatClient("no-such-model").CompleteChatAsync([new UserChatMessage("Hi")]));
            var unauthorized = Assert.ThrowsAsync<ClientResultException>(() => network.ChatClient(Networks.Model, "sk-wrong").CompleteChatAsync([new UserChatMessage("Hi")]));
            var invalid = Assert.ThrowsAsync<ClientResultException>(() => network.ChatClient(Networks.Model).CompleteChatAsync(
                [new UserChatMessage("Hi")], new ChatCompletionOptions { Temperature = 5f }));
            using (Assert.EnterMultipleScope())
            {
                Assert.That(missing!.Status, Is.EqualTo(404));
                Assert.That(missing.Message, Does.Contain("model_not_found"));
                Assert.That(unauthorized!.Status, Is.EqualTo(401));
                Assert.That(unauthorized.Message, Does.Contain("invalid_api_key"));
                Assert.That(invalid!.Status, Is.EqualTo(400));
                Assert.That(invalid.Message, Does.Contain("temperature"));
            }

            // The refused job is still on record, with its reason.
            Assert.That(missing.GetRawResponse()!.Headers.TryGetValue("x-infera-job-id", out var jobId), Is.True);
            var job = await network.GetJobAsync(jobId!);
            Assert.That(job.Status, Is.EqualTo(Infera.Jobs.JobStatuses.Failed));
            Assert.That(job.Error!.Code, Is.EqualTo("model_not_found"));
            Assert.That(job.Assignments, Is.Empty);
        }
    }

    [Test]
    public async Task Malformed_json_missing_key_and_invalid_fields_get_error_objects_naming_the_param()
    {
        await using var network = await TestNetwork.StartAsync();
        var (malformedStatus, malformed) = await PostAsync(network, "{\"model\": ");
        var (noKeyStatus, noKey) = await PostAsync(network, "{}", apiKey: null);
        var (noMessagesStatus, noMessages) = await PostAsync(network, "{\"model\":\"m\"}");
        var (badRoleStatus, badRole) = await PostAsync(network, "{\"model\":\"m\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}");
        var (badTokensStatus, badTokens) = await PostAsync(network, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":0}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(malformedStatus, Is.EqualTo(400));
            Assert.That(malformed.GetProperty("type").GetString(), Is.EqualTo("invalid_request_error"));
            Assert.That(malformed.GetProperty("message").GetString(), Does.Contain("could not parse the JSON body"));
            Assert.That(noKeyStatus, Is.EqualTo(401));
            Assert.That(noKey.GetProperty("code").GetString(), Is.EqualTo("invalid_api_key"));
            Assert.That(noMessagesStatus, Is.EqualTo(400));
            Assert.That(noMessages.GetProperty("param").GetString(), Is.EqualTo("messages"));
            Assert.That(badRoleStatus, Is.EqualTo(400));
            Assert.That(badRole.GetProperty("param").GetString(), Is.EqualTo("messages[0].role"));
            Assert.That(badTokensStatus, Is.EqualTo(400));
            Assert.That(badTokens.GetProperty("param").GetString(), Is.EqualTo("max_tokens"));
        }
    }

    [Test]
    public async Task A_model_whose_nodes_are_all_busy_gets_503_no_capacity()
    {
        await using var network = await TestNetwork.StartAsync();
        // One slot per node, and generation slow enough that the first job holds all of them.
        var slow = new SimulatedBackendOptions { TimeToFirstToken = TimeSpan.FromSeconds(2), TokensPerSecond = 5 };
        for (var i = 0; i < 3; i++)
        {
            await network.AddAgentAsync(new SimulatedBackend(slow, TimeProvider.System), maxConcurrency: 1);
        }

        var model = slow.Models[0];
        using var first = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent($"{{\"model\":\"{model}\",\"stream\":true,\"messages\":[{{\"role\":\"user\",\"content\":\"hold\"}}]}}", Encoding.UTF8, "application/json"),
        };
        var holding = network.Http.SendAsync(first, HttpCompletionOption.ResponseHeadersRead);
        var registry = network.App.Services.GetRequiredService<NodeRegistry>();
        await WaitUntilAsync(() => registry.Nodes.Sum(n => n.ActiveAssignments) == 3);
        var (status, error) = await PostAsync(network, $"{{\"model\":\"{model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"second\"}}]}}");
        Assert.That(status, Is.EqualTo(503));
        Assert.That(error.GetProperty("code").GetString(), Is.EqualTo("no_capacity"));
        (await holding).Dispose();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The condition did not hold within 10 s.");
            }

            await Task.Delay(20);
        }
    }
}
