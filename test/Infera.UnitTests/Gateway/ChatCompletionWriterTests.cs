using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Infera.Gateway.OpenAi;
using Infera.Jobs;

namespace Infera.UnitTests.Gateway;

public sealed class ChatCompletionWriterTests : IDisposable
{
    private const string Head = """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1763800000,"model":"llama3","choices":""";

    private readonly MemoryStream _body = new();
    private readonly PipeWriter _pipe;
    private readonly ChatCompletionWriter _writer;

    public ChatCompletionWriterTests()
    {
        _pipe = PipeWriter.Create(_body);
        _writer = new ChatCompletionWriter(_pipe, "chatcmpl-1", "llama3", 1_763_800_000);
    }

    public void Dispose()
    {
        _writer.Dispose();
        _body.Dispose();
    }

    /// <summary>One exact chunk event: the common head, then what follows <c>"choices":</c>.</summary>
    private static string Chunk(string choicesOnward) => "data: " + Head + choicesOnward + "}\n\n";

    private async Task<string> WrittenAsync()
    {
        await _writer.FlushAsync(CancellationToken.None);
        return Encoding.UTF8.GetString(_body.ToArray());
    }

    /// <summary>The JSON payloads of the SSE events, checking that each is exactly <c>data: …\n\n</c>.</summary>
    private static List<string> Events(string body)
    {
        Assert.That(body, Does.EndWith("\n\n"), "every event ends with a blank line");
        var events = body[..^2].Split("\n\n");
        Assert.That(events, Has.All.StartWith("data: "), "every event is one data line");
        Assert.That(events, Has.None.Contains("\n"), "no event spans lines");
        return [.. events.Select(e => e["data: ".Length..])];
    }

    [Test]
    public async Task Stream_is_role_then_content_then_finish_then_usage_then_done()
    {
        _writer.WriteRole();
        _writer.WriteContent("Hel");
        _writer.WriteContent("lo");
        _writer.WriteFinish("stop");
        _writer.WriteUsage(new JobCompleted("stop", 9, 2));
        _writer.WriteDone();

        Assert.That(await WrittenAsync(), Is.EqualTo(
            Chunk("""[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]""") +
            Chunk("""[{"index":0,"delta":{"content":"Hel"},"logprobs":null,"finish_reason":null}]""") +
            Chunk("""[{"index":0,"delta":{"content":"lo"},"logprobs":null,"finish_reason":null}]""") +
            Chunk("""[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]""") +
            Chunk("""[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}""") +
            "data: [DONE]\n\n"));
    }

    [Test]
    public async Task Content_with_quotes_newlines_and_non_ascii_survives_as_one_event()
    {
        const string text = "He said \"ok\"\n\nthen: café ✓ <b>&</b>";

        _writer.WriteContent(text);
        var events = Events(await WrittenAsync());

        using var chunk = JsonDocument.Parse(events.Single());
        Assert.That(chunk.RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString(), Is.EqualTo(text));
    }

    [Test]
    public async Task Nothing_reaches_the_body_before_a_flush()
    {
        _writer.WriteRole();
        _writer.WriteContent("Hel");

        Assert.That(_body.Length, Is.Zero, "deltas ready together leave in one write");
        Assert.That(Events(await WrittenAsync()), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Error_after_the_stream_began_is_an_event_holding_only_an_error_object()
    {
        _writer.WriteRole();
        _writer.WriteContent("Par");
        _writer.WriteError(new OpenAiError("The node failed.", "server_error", null, "node_failure"));

        var events = Events(await WrittenAsync());

        Assert.That(events[^1], Is.EqualTo("""{"error":{"message":"The node failed.","type":"server_error","param":null,"code":"node_failure"}}"""));
        Assert.That(events, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task Non_streamed_completion_is_one_chat_completion_object()
    {
        _writer.WriteCompletion("Paris.", new JobCompleted("length", 12, 3));

        var body = await WrittenAsync();
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        var choice = root.GetProperty("choices").EnumerateArray().Single();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(body, Does.StartWith("{").And.EndWith("}"), "no SSE framing");
            Assert.That(root.GetProperty("id").GetString(), Is.EqualTo("chatcmpl-1"));
            Assert.That(root.GetProperty("object").GetString(), Is.EqualTo("chat.completion"));
            Assert.That(root.GetProperty("created").GetInt64(), Is.EqualTo(1_763_800_000));
            Assert.That(root.GetProperty("model").GetString(), Is.EqualTo("llama3"));
            Assert.That(choice.GetProperty("index").GetInt32(), Is.Zero);
            Assert.That(choice.GetProperty("message").GetProperty("role").GetString(), Is.EqualTo("assistant"));
            Assert.That(choice.GetProperty("message").GetProperty("content").GetString(), Is.EqualTo("Paris."));
            Assert.That(choice.GetProperty("message").GetProperty("refusal").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(choice.GetProperty("finish_reason").GetString(), Is.EqualTo("length"));
            Assert.That(root.GetProperty("usage").GetProperty("prompt_tokens").GetInt32(), Is.EqualTo(12));
            Assert.That(root.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), Is.EqualTo(3));
            Assert.That(root.GetProperty("usage").GetProperty("total_tokens").GetInt32(), Is.EqualTo(15));
        }
    }
}
