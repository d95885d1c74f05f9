using System.Net;
using System.Text.Json.Nodes;
using Infera.Jobs;
using Infera.NodeAgent.Backends;

namespace Infera.UnitTests.NodeAgent;

public sealed class OllamaWireParsingTests
{
    private const string Ndjson = "application/x-ndjson";

    [Test]
    public async Task Content_lines_then_the_done_line_give_text_and_counts()
    {
        var body = string.Join("\r\n",
            """{"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"Hi"},"done":false}""",
            """{"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":""},"done":false}""",
            "",
            """{"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":" there"},"done":false}""",
            """{"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":""},"done":true,"done_reason":"length","total_duration":5,"prompt_eval_count":26,"eval_count":2}""",
            "");

        var chunks = await Stream(new CannedHttpHandler(HttpStatusCode.OK, body, Ndjson));

        Assert.That(chunks, Is.EqualTo(new BackendChunk[]
        {
            new BackendText("Hi"), new BackendText(" there"), new BackendDone("length", 26, 2),
        }));
    }

    [Test]
    public async Task A_done_line_without_reason_or_counts_is_stop_with_zero_counts()
    {
        var chunks = await Stream(new CannedHttpHandler(HttpStatusCode.OK, """{"done":true}""", Ndjson));

        Assert.That(chunks, Is.EqualTo(new BackendChunk[] { new BackendDone("stop", 0, 0) }));
    }

    [Test]
    public void An_error_line_is_a_backend_exception_with_ollamas_text()
    {
        var body = """
            {"message":{"role":"assistant","content":"a"},"done":false}
            {"error":"an error was encountered while running the model"}
            """;

        Assert.That(
            async () => await Stream(new CannedHttpHandler(HttpStatusCode.OK, body, Ndjson)),
            Throws.TypeOf<BackendException>().With.Message.Contains("an error was encountered while running the model"));
    }

    [Test]
    public void A_stream_without_a_done_line_ended_early()
    {
        var body = """{"message":{"role":"assistant","content":"a"},"done":false}""";

        Assert.That(
            async () => await Stream(new CannedHttpHandler(HttpStatusCode.OK, body, Ndjson)),
            Throws.TypeOf<BackendException>().With.Message.Contains("ended"));
    }

    [Test]
    public void A_404_is_a_backend_exception_with_ollamas_error_text()
    {
        var handler = new CannedHttpHandler(HttpStatusCode.NotFound, """{"error":"model 'x' not found"}""", "application/json");

        Assert.That(
            async () => await Stream(handler),
            Throws.TypeOf<BackendException>().With.Message.Contains("model 'x' not found").And.Message.Contains("404"));
    }

    [Test]
    public async Task The_request_streams_with_sampling_under_options_and_omits_unset_ones()
    {
        var handler = new CannedHttpHandler(HttpStatusCode.OK, """{"done":true}""", Ndjson);

        await Stream(handler, new SamplingParameters(64, 0.2, null, 99, ["END"]));

        var sent = JsonNode.Parse(handler.LastRequestBody!)!.AsObject();
        var options = sent["options"]!.AsObject();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(handler.LastRequestUri, Is.EqualTo(new Uri("http://backend.test/ollama/api/chat")));
            Assert.That(sent["stream"]!.GetValue<bool>(), Is.True);
            Assert.That(options["seed"]!.GetValue<long>(), Is.EqualTo(99));
            Assert.That(options["num_predict"]!.GetValue<int>(), Is.EqualTo(64));
            Assert.That(options["temperature"]!.GetValue<double>(), Is.EqualTo(0.2));
            Assert.That(options["stop"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "END" }));
            Assert.That(options.ContainsKey("top_p"), Is.False);
        }
    }

    private static async Task<List<BackendChunk>> Stream(CannedHttpHandler handler, SamplingParameters? sampling = null)
    {
        // A base path checks that the adapter keeps the prefix of a proxied Ollama URL.
        var backend = new OllamaBackend(handler.Client("http://backend.test/ollama"));
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
