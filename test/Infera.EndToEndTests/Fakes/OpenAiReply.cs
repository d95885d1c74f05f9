using System.Text.Json.Nodes;
using Infera.NodeAgent.Backends;

namespace Infera.EndToEndTests.Fakes;

/// <summary>The JSON objects of one OpenAI chat completion: the whole answer, or its stream chunks.</summary>
internal sealed class OpenAiReply(string model, SimulatedCompletion completion)
{
    private const string Fingerprint = "fp_infera_fake";

    private readonly string _id = "chatcmpl-" + Guid.NewGuid().ToString("N");
    private readonly long _created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public JsonObject Whole()
    {
        var reply = Header("chat.completion");
        reply["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = completion.Text, ["refusal"] = null },
            ["logprobs"] = null,
            ["finish_reason"] = completion.FinishReason,
        });
        reply["usage"] = Usage();
        return reply;
    }

    /// <summary>A "chat.completion.chunk"; with include_usage every chunk but the last carries "usage": null, as OpenAI's do.</summary>
    public JsonObject Chunk(JsonObject delta, string? finishReason, bool includeUsage)
    {
        var chunk = Header("chat.completion.chunk");
        chunk["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["delta"] = delta,
            ["logprobs"] = null,
            ["finish_reason"] = finishReason,
        });
        if (includeUsage)
        {
            chunk["usage"] = null;
        }

        return chunk;
    }

    public JsonObject UsageChunk()
    {
        var chunk = Header("chat.completion.chunk");
        chunk["choices"] = new JsonArray();
        chunk["usage"] = Usage();
        return chunk;
    }

    private JsonObject Header(string kind) => new()
    {
        ["id"] = _id,
        ["object"] = kind,
        ["created"] = _created,
        ["model"] = model,
        ["system_fingerprint"] = Fingerprint,
    };

    private JsonObject Usage() => new()
    {
        ["prompt_tokens"] = completion.PromptTokens,
        ["completion_tokens"] = completion.CompletionTokens,
        ["total_tokens"] = completion.PromptTokens + completion.CompletionTokens,
    };
}
