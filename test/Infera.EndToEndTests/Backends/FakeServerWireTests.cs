using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Infera.EndToEndTests.Fakes;
using Infera.NodeAgent.Backends;
using OpenAI;
using OpenAI.Chat;
using InferaMessage = Infera.Jobs.ChatMessage;

namespace Infera.EndToEndTests.Backends;

/// <summary>Checks the fakes against independent readers of the wire formats, so adapter tests rest on real formats.</summary>
public sealed class FakeServerWireTests
{
    private const string Model = "gpt-fake";
    private static readonly InferaMessage[] Prompt = [new("user", "Say something about tides.")];

    [Test]
    public async Task The_official_openai_client_reads_the_fakes_stream_and_usage()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Model);
        var client = OpenAiClient(server);
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 12 };
#pragma warning disable OPENAI001 // Seed is marked experimental; the fake honours it like OpenAI does.
        options.Seed = 3;
#pragma warning restore OPENAI001
        var expected = SimulatedTextGenerator.Complete(Model, Prompt, 3, 12, null);
        using var timeout = new CancellationTokenSource(Chunks.Timeout);

        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        var updates = client.CompleteChatStreamingAsync([new UserChatMessage(Prompt[0].Content)], options, timeout.Token);
        await foreach (var update in updates)
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(text.ToString(), Is.EqualTo(expected.Text));
            Assert.That(finish, Is.EqualTo(ChatFinishReason.Length));
            Assert.That(usage?.InputTokenCount, Is.EqualTo(expected.PromptTokens));
            Assert.That(usage?.OutputTokenCount, Is.EqualTo(12));
        }
    }

    [Test]
    public async Task The_official_openai_client_reads_the_fakes_whole_answer()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Model);
        var client = OpenAiClient(server);
        using var timeout = new CancellationTokenSource(Chunks.Timeout);

        var completion = (await client.CompleteChatAsync(
            [new UserChatMessage(Prompt[0].Content)], cancellationToken: timeout.Token)).Value;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(completion.Content[0].Text, Is.EqualTo(Expected(seed: 0)));
            Assert.That(completion.FinishReason, Is.EqualTo(ChatFinishReason.Stop));
        }
    }

    [Test]
    public async Task The_openai_fakes_stream_starts_with_a_role_chunk_and_ends_with_usage_then_DONE()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Model);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var body = """
            {"model":"gpt-fake","messages":[{"role":"user","content":"hi"}],"stream":true,
             "stream_options":{"include_usage":true}}
            """;

        using var response = await PostAsync(http, "v1/chat/completions", body);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/event-stream"));
            Assert.That(events, Has.All.StartWith("data: "));
            Assert.That(Data(events[0])["choices"]![0]!["delta"]!["role"]!.GetValue<string>(), Is.EqualTo("assistant"));
            Assert.That(Data(events[^2])["choices"]!.AsArray(), Is.Empty);
            Assert.That(events[^1], Is.EqualTo("data: [DONE]"));
        }
    }

    [Test]
    public async Task The_ollama_fake_answers_whole_when_stream_is_false()
    {
        await using var server = await FakeOllamaServer.StartAsync(Model);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var body = """
            {"model":"gpt-fake","messages":[{"role":"user","content":"Say something about tides."}],"stream":false,
             "options":{"seed":3}}
            """;

        using var response = await PostAsync(http, "api/chat", body);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(answer["done"]!.GetValue<bool>(), Is.True);
            Assert.That(answer["message"]!["content"]!.GetValue<string>(), Is.EqualTo(Expected(seed: 3)));
        }
    }

    [Test]
    public async Task The_ollama_fakes_unknown_model_answer_matches_ollamas()
    {
        await using var server = await FakeOllamaServer.StartAsync(Model);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var response = await PostAsync(http, "api/chat", """{"model":"x","messages":[]}""");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(
                await response.Content.ReadAsStringAsync(),
                Is.EqualTo("""{"error":"model \"x\" not found, try pulling it first"}"""));
        }
    }

    private static ChatClient OpenAiClient(FakeOpenAiServer server) => new(
        Model, new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "v1") });

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string json) =>
        http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

    private static JsonNode Data(string sseEvent) => JsonNode.Parse(sseEvent["data: ".Length..])!;

    private static string Expected(long seed) => SimulatedTextGenerator.Complete(Model, Prompt, seed, null, null).Text;
}
