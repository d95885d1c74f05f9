using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Infera.Jobs;

namespace Infera.Gateway.OpenAi;

/// <summary>
/// Writes OpenAI's chat completion wire format straight into the response pipe: <c>chat.completion.chunk</c> events
/// (<c>data: {json}\n\n</c>, then <c>data: [DONE]</c>) for streams, one <c>chat.completion</c> object otherwise.
/// Nothing is flushed to the network until <see cref="FlushAsync"/>, so several deltas that are ready together
/// leave in one write.
/// </summary>
public sealed class ChatCompletionWriter(PipeWriter output, string id, string model, long created) : IDisposable
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();
    private readonly Utf8JsonWriter _json = new(output, new JsonWriterOptions { SkipValidation = true });

    /// <summary>The first event: the assistant's role, with empty content.</summary>
    public void WriteRole() => WriteChunk(role: "assistant", content: string.Empty, finishReason: null);

    public void WriteContent(string text) => WriteChunk(role: null, content: text, finishReason: null);

    /// <summary>The last choice event: an empty delta with the finish reason.</summary>
    public void WriteFinish(string finishReason) => WriteChunk(role: null, content: null, finishReason: finishReason);

    /// <summary>The usage event (only when the client asked for it): no choices, the token counts.</summary>
    public void WriteUsage(JobCompleted completed)
    {
        Begin("chat.completion.chunk", sse: true);
        _json.WriteStartArray("choices");
        _json.WriteEndArray();
        WriteUsageObject(completed);
        End(sse: true);
    }

    public void WriteDone() => output.Write(Done);

    /// <summary>A failure after the stream began: an event holding only an error object. The stream ends after it.</summary>
    public void WriteError(OpenAiError error)
    {
        output.Write(DataPrefix);
        _json.Reset(output);
        JsonSerializer.Serialize(_json, new OpenAiErrorResponse(error), GatewayJsonContext.Default.OpenAiErrorResponse);
        _json.Flush();
        output.Write(EventEnd);
    }

    /// <summary>A whole non-streamed <c>chat.completion</c>.</summary>
    public void WriteCompletion(string content, JobCompleted completed)
    {
        Begin("chat.completion", sse: false);
        _json.WriteStartArray("choices");
        _json.WriteStartObject();
        _json.WriteNumber("index", 0);
        _json.WriteStartObject("message");
        _json.WriteString("role", "assistant");
        _json.WriteString("content", content);
        _json.WriteNull("refusal");
        _json.WriteEndObject();
        _json.WriteNull("logprobs");
        _json.WriteString("finish_reason", completed.FinishReason);
        _json.WriteEndObject();
        _json.WriteEndArray();
        WriteUsageObject(completed);
        End(sse: false);
    }

    public ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken) => output.FlushAsync(cancellationToken);

    public void Dispose() => _json.Dispose();

    private void WriteChunk(string? role, string? content, string? finishReason)
    {
        Begin("chat.completion.chunk", sse: true);
        _json.WriteStartArray("choices");
        _json.WriteStartObject();
        _json.WriteNumber("index", 0);
        _json.WriteStartObject("delta");
        if (role is not null)
        {
            _json.WriteString("role", role);
        }

        if (content is not null)
        {
            _json.WriteString("content", content);
        }

        _json.WriteEndObject();
        _json.WriteNull("logprobs");
        if (finishReason is null)
        {
            _json.WriteNull("finish_reason");
        }
        else
        {
            _json.WriteString("finish_reason", finishReason);
        }

        _json.WriteEndObject();
        _json.WriteEndArray();
        End(sse: true);
    }

    private void Begin(string objectType, bool sse)
    {
        if (sse)
        {
            output.Write(DataPrefix);
        }

        _json.Reset(output);
        _json.WriteStartObject();
        _json.WriteString("id", id);
        _json.WriteString("object", objectType);
        _json.WriteNumber("created", created);
        _json.WriteString("model", model);
    }

    private void End(bool sse)
    {
        _json.WriteEndObject();
        _json.Flush();
        if (sse)
        {
            output.Write(EventEnd);
        }
    }

    private void WriteUsageObject(JobCompleted completed)
    {
        _json.WriteStartObject("usage");
        _json.WriteNumber("prompt_tokens", completed.PromptTokens);
        _json.WriteNumber("completion_tokens", completed.CompletionTokens);
        _json.WriteNumber("total_tokens", completed.PromptTokens + completed.CompletionTokens);
        _json.WriteEndObject();
    }
}
