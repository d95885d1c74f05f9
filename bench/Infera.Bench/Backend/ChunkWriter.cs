using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Infera.Bench.Backend;

/// <summary>Writes OpenAI's <c>chat.completion.chunk</c> events (and the non-streamed <c>chat.completion</c>) into a pipe.</summary>
internal sealed class ChunkWriter(PipeWriter output, string id, string model, long created, bool includeUsage)
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public void WriteRole() => WriteChunk(json =>
    {
        json.WriteString("role", "assistant");
        json.WriteString("content", string.Empty);
        json.WriteNull("refusal");
    }, finishReason: null);

    public void WriteContent(string text) => WriteChunk(json => json.WriteString("content", text), finishReason: null);

    public void WriteFinish(string finishReason) => WriteChunk(_ => { }, finishReason);

    public void WriteUsage(int promptTokens, int completionTokens)
    {
        if (!includeUsage)
        {
            return;
        }

        output.Write(DataPrefix);
        using (var json = new Utf8JsonWriter(output))
        {
            Header(json, "chat.completion.chunk");
            json.WriteStartArray("choices");
            json.WriteEndArray();
            Usage(json, promptTokens, completionTokens);
            json.WriteEndObject();
        }

        output.Write(EventEnd);
    }

    public void WriteDone() => output.Write(Done);

    public void WriteWhole(string content, string finishReason, int promptTokens, int completionTokens)
    {
        using var json = new Utf8JsonWriter(output);
        Header(json, "chat.completion");
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        json.WriteStartObject("message");
        json.WriteString("role", "assistant");
        json.WriteString("content", content);
        json.WriteNull("refusal");
        json.WriteEndObject();
        json.WriteNull("logprobs");
        json.WriteString("finish_reason", finishReason);
        json.WriteEndObject();
        json.WriteEndArray();
        Usage(json, promptTokens, completionTokens);
        json.WriteEndObject();
    }

    private void WriteChunk(Action<Utf8JsonWriter> delta, string? finishReason)
    {
        output.Write(DataPrefix);
        using (var json = new Utf8JsonWriter(output))
        {
            Header(json, "chat.completion.chunk");
            json.WriteStartArray("choices");
            json.WriteStartObject();
            json.WriteNumber("index", 0);
            json.WriteStartObject("delta");
            delta(json);
            json.WriteEndObject();
            json.WriteNull("logprobs");
            if (finishReason is null)
            {
                json.WriteNull("finish_reason");
            }
            else
            {
                json.WriteString("finish_reason", finishReason);
            }

            json.WriteEndObject();
            json.WriteEndArray();
            if (includeUsage)
            {
                json.WriteNull("usage"); // OpenAI puts "usage": null on every chunk when the client asked for usage
            }

            json.WriteEndObject();
        }

        output.Write(EventEnd);
    }

    private void Header(Utf8JsonWriter json, string objectType)
    {
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("object", objectType);
        json.WriteNumber("created", created);
        json.WriteString("model", model);
        json.WriteString("system_fingerprint", "fp_infera_bench");
    }

    private static void Usage(Utf8JsonWriter json, int promptTokens, int completionTokens)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", promptTokens);
        json.WriteNumber("completion_tokens", completionTokens);
        json.WriteNumber("total_tokens", promptTokens + completionTokens);
        json.WriteEndObject();
    }
}
