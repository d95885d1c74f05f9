using System.Net;
using System.Text.Json.Nodes;
using Infera.Jobs;
using Infera.NodeAgent.Backends;

namespace Infera.UnitTests.NodeAgent;

public sealed class OpenAiWireParsingTests
{
    private const string Sse = "text/event-stream";

    [Test]
    public async Task A_vllm_style_stream_with_comments_CRLF_a_role_chunk_and_usage_is_read_exactly()
    {
        var body = string.Join("\r\n",
            ": ping",
            "",
            """data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null}""",
            "",
            """data: {"id":"c1","choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}],"usage":null}""",
            "",
            """data: {"id":"c1","choices":[{"index":0,"delta":{"content":null},"finish_reason":null}]}""",
            "",
            """data: {"id":"c1","choices":[{"index":0,"delta":{"content":", world"},"finish_reason":null}]}""",
            "",
            """data: {"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"eos"}]}""",
            "",
            """data: {"id":"c1","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}""",
            "",
            "data: [DONE]",
            "",
            "");

        var chunks = await Stream(new CannedHttpHandler(HttpStatusCode.OK, body, Sse));

        Assert.That(chunks, Is.EqualTo(new BackendChunk[]
        {
            new BackendText("Hello"), new BackendText(", world"), new BackendDone("stop", 12, 3),
        }));
    }

    [Test]
    public async Task Length_finish_without_usage_gives_zero_counts()
    {
        var body = """
            data: {"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":"length"}]}

            data: [DONE]


            """;

        var chunks = await Stream(new CannedHttpHandler(HttpStatusCode.OK, body, Sse));

        Assert.That(chunks, Is.EqualTo(new BackendChunk[] { new BackendText("a"), new BackendDone("length", 0, 0) }));
    }

    [Test]
    public async Task A_finish_reason_without_DONE_still_ends_with_done()
    {
        var body = """
            data: {"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":"stop"}]}


            """;

        var chunks = await Stream(new CannedHttpHandler(HttpStatusCode.OK, body, Sse));

        Assert.That(chunks[^1], Is.EqualTo(new BackendDone("stop", 0, 0)));
    }

    [Test]
    public void A_stream_without_finish_reason_or_DONE_ended_early()
    {
        var body = """
            data: {"choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}


            """;

        Assert.That(
            async () => await Stream(new CannedHttpHandler(HttpStatusCode.OK, body, Sse)),
            Throws.TypeOf<BackendException>().With.Message.Contains("ended early"));
    }

    [Test]
    public void An_error_event_mid_stream_is_a_backend_exception_with_its_message()
    {
        var body = """
            data: {"error":{"message":"CUDA out of memory","type":"InternalServerError","code":500}}


            """;

        Assert.That(
            async () => await Stream(new CannedHttpHandler(HttpStatusCode.OK, body, Sse)),
            Throws.TypeOf<BackendException>().With.Message.Contains("CUDA out of memory"));
    }

    [TestCase("""{"error":{"message":"The model `x` does not exist.","type":"invalid_request_error"}}""", "The model `x` does not exist.")]
    [TestCase("""{"object":"error","message":"vLLM says no","type":"NotFoundError","code":404}""", "vLLM says no")]
    [TestCase("upstream exploded", "404 Not Found: upstream exploded")]
    public void Error_statuses_are_backend_exceptions_with_the_servers_message(string body, string expected)
    {
        Assert.That(
            async () => await Stream(new CannedHttpHandler(HttpStatusCode.NotFound, body, "application/json")),
            Throws.TypeOf<BackendException>().With.Message.Contains(expected));
    }

    [Test]
    public async Task The_request_asks_for_a_stream_with_usage_and_omits_unset_sampling()
    {
        var handler = new CannedHttpHandler(HttpStatusCode.OK, "data: [DONE]\n\n", Sse);

        await Stream(handler, new SamplingParameters(32, null, 0.9, 11, ["\n\n"]));

        var sent = JsonNode.Parse(handler.LastRequestBody!)!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(handler.LastRequestUri, Is.EqualTo(new Uri("http://backend.test/v1/chat/completions")));
            Assert.That(sent["model"]!.GetValue<string>(), Is.EqualTo("m"));
            Assert.That(sent["stream"]!.GetValue<bool>(), Is.True);
            Assert.That(sent["stream_options"]!["include_usage"]!.GetValue<bool>(), Is.True);
            Assert.That(sent["max_tokens"]!.GetValue<int>(), Is.EqualTo(32));
            Assert.That(sent["top_p"]!.GetValue<double>(), Is.EqualTo(0.9));
            Assert.That(sent["seed"]!.GetValue<long>(), Is.EqualTo(11));
            Assert.That(sent["stop"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "\n\n" }));
            Assert.That(sent.ContainsKey("temperature"), Is.False);
            Assert.That(sent["messages"]![0]!["role"]!.GetValue<string>(), Is.EqualTo("user"));
        }
    }

    private static async Task<List<BackendChunk>> Stream(CannedHttpHandler handler, SamplingParameters? sampling = null)
    {
        var backend = new OpenAiCompatibleBackend(handler.Client());
        var request = new BackendRequest(
            "m", [new ChatMessage("user", "hi")], sampling ?? new SamplingParameters(null, null, null, 1, null));
        var chunks = new List<BackendChunk>();
        await foreach (var chunk in backend.StreamChatAsync(request, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }
}
