using System.Text.Json;
using System.Text.Json.Nodes;
using Infera.NodeAgent.Backends;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Infera.EndToEndTests.Fakes;

/// <summary>
/// Speaks OpenAI's API as vLLM and friends do: /v1/models, /v1/chat/completions (SSE chunks when "stream" is true,
/// one JSON object otherwise), answering with <see cref="SimulatedTextGenerator"/> text, and /v1/embeddings,
/// answering with <see cref="FakeEmbeddingRequest.Embed"/> vectors.
/// </summary>
public sealed class FakeOpenAiServer(IReadOnlyList<string> models, string? apiKey = null) : FakeInferenceServer(models)
{
    public static async Task<FakeOpenAiServer> StartAsync(params string[] models)
    {
        var server = new FakeOpenAiServer(models);
        await server.StartAsync(CancellationToken.None);
        return server;
    }

    /// <summary>When set, requests without "Authorization: Bearer {key}" get HTTP 401.</summary>
    public string? ApiKey { get; } = apiKey;

    /// <summary>When set, /v1/embeddings lists its "data" last input first; each item's "index" still says which input it is.</summary>
    public bool ReverseEmbeddingOrder { get; set; }

    protected override string FailureBody => ToJson(Error(
        "The server had an error while processing your request.", "server_error", param: null, code: null));

    protected override void MapRoutes(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (ApiKey is not null
                && !string.Equals(context.Request.Headers.Authorization, $"Bearer {ApiKey}", StringComparison.Ordinal))
            {
                await WriteErrorAsync(context, StatusCodes.Status401Unauthorized, Error(
                    "Incorrect API key provided.", "invalid_request_error", param: null, code: "invalid_api_key"));
                return;
            }

            await next(context);
        });
        app.MapGet("/v1/models", () => Results.Text(ModelList(), "application/json"));
        app.MapPost("/v1/chat/completions", ChatAsync);
        app.MapPost("/v1/embeddings", EmbeddingsAsync);
    }

    private string ModelList()
    {
        var data = new JsonArray();
        foreach (var name in Models)
        {
            data.Add(new JsonObject { ["id"] = name, ["object"] = "model", ["created"] = 1_735_689_600, ["owned_by"] = "infera-tests" });
        }

        return ToJson(new JsonObject { ["object"] = "list", ["data"] = data });
    }

    private async Task ChatAsync(HttpContext context)
    {
        if (await ParseRequestAsync(context, await ReadChatBodyAsync(context.Request), FakeChatRequest.FromOpenAi, r => r.Model) is not { Body: var body, Request: var request })
        {
            return;
        }

        var completion = Answer(request);
        var reply = new OpenAiReply(request.Model!, completion); // ParseRequestAsync checked the model
        if (request.Stream != true)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(ToJson(reply.Whole()), context.RequestAborted);
            return;
        }

        var includeUsage = body["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
        await StreamAsync(context, reply, completion, includeUsage);
    }

    private async Task EmbeddingsAsync(HttpContext context)
    {
        if (await ParseRequestAsync(context, await ReadEmbeddingBodyAsync(context.Request), FakeEmbeddingRequest.Parse, r => r.Model) is not { Request: var request })
        {
            return;
        }

        var items = request.Embed().Select((vector, i) => (JsonNode)new JsonObject
        {
            ["object"] = "embedding",
            ["index"] = i,
            ["embedding"] = FakeEmbeddingRequest.ToJson(vector),
        });
        var tokens = request.Tokens();
        var reply = new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray([.. ReverseEmbeddingOrder ? items.Reverse() : items]),
            ["model"] = request.Model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        };
        context.Response.ContentType = "application/json";
        CountEmbeddingAnswered();
        await context.Response.WriteAsync(ToJson(reply), context.RequestAborted);
    }

    private async Task StreamAsync(HttpContext context, OpenAiReply reply, SimulatedCompletion completion, bool includeUsage)
    {
        var ct = context.RequestAborted;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        await WriteEventAsync(context, ToJson(reply.Chunk(Role(), finishReason: null, includeUsage)));
        for (var i = 0; i < completion.Tokens.Count; i++)
        {
            if (!await BeforeTokenAsync(context, i))
            {
                return;
            }

            var delta = new JsonObject { ["content"] = completion.Tokens[i] };
            await WriteEventAsync(context, ToJson(reply.Chunk(delta, finishReason: null, includeUsage)));
        }

        await WriteEventAsync(context, ToJson(reply.Chunk(new JsonObject(), completion.FinishReason, includeUsage)));
        if (includeUsage)
        {
            await WriteEventAsync(context, ToJson(reply.UsageChunk()));
        }

        await WriteEventAsync(context, "[DONE]");
        await context.Response.Body.FlushAsync(ct);

        static JsonObject Role() => new() { ["role"] = "assistant", ["content"] = string.Empty, ["refusal"] = null };
    }

    private static async Task WriteEventAsync(HttpContext context, string data)
    {
        await context.Response.WriteAsync($"data: {data}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static JsonObject Error(string message, string type, string? param, string? code) => new()
    {
        ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code },
    };

    protected override Task WriteBadRequestAsync(HttpContext context, string detail) =>
        WriteErrorAsync(context, StatusCodes.Status400BadRequest, Error($"Invalid request body: {detail}", "invalid_request_error", param: null, code: null));

    protected override Task WriteModelNotFoundAsync(HttpContext context, string? model) =>
        WriteErrorAsync(context, StatusCodes.Status404NotFound, Error(
            $"The model `{model}` does not exist.", "invalid_request_error", "model", "model_not_found"));

    private static async Task WriteErrorAsync(HttpContext context, int status, JsonObject error)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(ToJson(error), context.RequestAborted);
    }
}
