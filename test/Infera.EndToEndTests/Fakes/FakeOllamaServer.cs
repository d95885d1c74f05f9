using System.Globalization;
using System.Text.Json;
using Infera.NodeAgent.Backends;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Infera.EndToEndTests.Fakes;

/// <summary>
/// Speaks Ollama's REST API: /api/tags, /api/chat (NDJSON when streaming, Ollama's default; one object when
/// "stream" is false), answering with <see cref="SimulatedTextGenerator"/> text, and /api/embed, answering with
/// <see cref="FakeEmbeddingRequest.Embed"/> vectors.
/// </summary>
public sealed class FakeOllamaServer(IReadOnlyList<string> models) : FakeInferenceServer(models)
{
    public static async Task<FakeOllamaServer> StartAsync(params string[] models)
    {
        var server = new FakeOllamaServer(models);
        await server.StartAsync(CancellationToken.None);
        return server;
    }

    protected override string FailureBody => """{"error":"fake Ollama failure"}""";

    protected override void MapRoutes(WebApplication app)
    {
        app.MapGet("/api/tags", () => Results.Text(Tags(), "application/json"));
        app.MapPost("/api/chat", ChatAsync);
        app.MapPost("/api/embed", EmbedAsync);
    }

    private string Tags()
    {
        var models = new JsonArray();
        foreach (var name in Models)
        {
            models.Add(new JsonObject
            {
                ["name"] = name,
                ["model"] = name,
                ["modified_at"] = "2025-01-01T00:00:00Z",
                ["size"] = 1_321_098_329,
                ["digest"] = "baf6a787fdffd633537aa2eb51cfd54cb93ff08e28040095462bb63daf552878",
                ["details"] = new JsonObject { ["format"] = "gguf", ["family"] = "llama", ["parameter_size"] = "1.2B" },
            });
        }

        return ToJson(new JsonObject { ["models"] = models });
    }

    private async Task ChatAsync(HttpContext context)
    {
        if (await ParseRequestAsync(context, await ReadChatBodyAsync(context.Request), FakeChatRequest.FromOllama, r => r.Model) is not { Request: var request })
        {
            return;
        }

        var completion = Answer(request);
        var ct = context.RequestAborted;
        if (request.Stream == false)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(ToJson(Final(request, completion, completion.Text)), ct);
            return;
        }

        context.Response.ContentType = "application/x-ndjson";
        for (var i = 0; i < completion.Tokens.Count; i++)
        {
            if (!await BeforeTokenAsync(context, i))
            {
                return;
            }

            var line = new JsonObject
            {
                ["model"] = request.Model,
                ["created_at"] = Now(),
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = completion.Tokens[i] },
                ["done"] = false,
            };
            await context.Response.WriteAsync(ToJson(line) + "\n", ct);
            await context.Response.Body.FlushAsync(ct);
        }

        await context.Response.WriteAsync(ToJson(Final(request, completion, string.Empty)) + "\n", ct);
    }

    private async Task EmbedAsync(HttpContext context)
    {
        if (await ParseRequestAsync(context, await ReadEmbeddingBodyAsync(context.Request), FakeEmbeddingRequest.Parse, r => r.Model) is not { Request: var request })
        {
            return;
        }

        var reply = new JsonObject
        {
            ["model"] = request.Model,
            ["embeddings"] = new JsonArray([.. request.Embed().Select(v => (JsonNode)FakeEmbeddingRequest.ToJson(v))]),
            ["total_duration"] = 1_000_000,
            ["load_duration"] = 100_000,
            ["prompt_eval_count"] = request.Tokens(),
        };
        context.Response.ContentType = "application/json; charset=utf-8";
        CountEmbeddingAnswered();
        await context.Response.WriteAsync(ToJson(reply), context.RequestAborted);
    }

    private static JsonObject Final(
        FakeChatRequest request, SimulatedCompletion completion, string content) => new()
    {
        ["model"] = request.Model,
        ["created_at"] = Now(),
        ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
        ["done_reason"] = completion.FinishReason,
        ["done"] = true,
        ["total_duration"] = 1_000_000,
        ["load_duration"] = 100_000,
        ["prompt_eval_count"] = completion.PromptTokens,
        ["prompt_eval_duration"] = 200_000,
        ["eval_count"] = completion.CompletionTokens,
        ["eval_duration"] = 700_000,
    };

    private static string Now() => DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);

    protected override Task WriteBadRequestAsync(HttpContext context, string detail) =>
        WriteErrorAsync(context, StatusCodes.Status400BadRequest, $"invalid request: {detail}");

    protected override Task WriteModelNotFoundAsync(HttpContext context, string? model) =>
        WriteErrorAsync(context, StatusCodes.Status404NotFound, $"model \"{model}\" not found, try pulling it first");

    private static async Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(ToJson(new JsonObject { ["error"] = message }), context.RequestAborted);
    }
}
