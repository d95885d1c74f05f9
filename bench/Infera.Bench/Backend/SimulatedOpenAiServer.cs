using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Infera.Jobs;
using Infera.NodeAgent.Backends;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Infera.Bench.Backend;

/// <summary>
/// A loopback server that answers like an OpenAI-compatible inference server (vLLM and friends) at a fixed pace:
/// <c>/v1/models</c>, and <c>/v1/chat/completions</c> streamed as OpenAI streams it (a role chunk, one chunk per
/// token, a finish chunk, a usage chunk when <c>stream_options.include_usage</c>, then <c>[DONE]</c>). The text is
/// deterministic per (model, messages, seed), so the replicas of a job agree.
/// </summary>
internal static class SimulatedOpenAiServer
{
    public static async Task RunAsync(int port, BackendOptions options, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        await using var app = builder.Build();
        app.MapGet("/v1/models", (HttpContext context) => WriteModelsAsync(context, options.Model));
        app.MapPost("/v1/chat/completions", (HttpContext context) => CompleteAsync(context, options));
        await app.StartAsync(cancellationToken);
        await app.WaitForShutdownAsync(cancellationToken);
    }

    private static async Task WriteModelsAsync(HttpContext context, string model)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(
            $$"""{"object":"list","data":[{"id":"{{model}}","object":"model","created":1735689600,"owned_by":"infera-bench"}]}""",
            context.RequestAborted);
    }

    private static async Task CompleteAsync(HttpContext context, BackendOptions options)
    {
        var started = Stopwatch.GetTimestamp();
        var aborted = context.RequestAborted;
        using var body = await JsonDocument.ParseAsync(context.Request.Body, default, aborted);
        var request = BackendRequestBody.Read(body.RootElement);
        if (!string.Equals(request.Model, options.Model, StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(
                $$$"""{"error":{"message":"The model `{{{request.Model}}}` does not exist.","type":"invalid_request_error","param":"model","code":"model_not_found"}}""",
                aborted);
            return;
        }

        var count = request.MaxTokens is > 0 and var max ? Math.Min(max, options.TokensPerCompletion) : options.TokensPerCompletion;
        var tokens = Tokens(request.Model, request.Messages, request.Seed, count);
        var finish = request.MaxTokens == count ? "length" : "stop";
        var chunks = new ChunkWriter(context.Response.BodyWriter, "chatcmpl-" + Guid.NewGuid().ToString("N")[..24], request.Model, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), request.IncludeUsage);
        if (!request.Stream)
        {
            await Task.Delay(options.TimeToFirstToken + TimeSpan.FromSeconds((count - 1) / options.TokensPerSecond), aborted);
            context.Response.ContentType = "application/json";
            chunks.WriteWhole(string.Concat(tokens), finish, request.PromptTokens, count);
            await context.Response.BodyWriter.FlushAsync(aborted);
            return;
        }

        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        chunks.WriteRole();
        await context.Response.BodyWriter.FlushAsync(aborted);
        for (var i = 0; i < tokens.Count; i++)
        {
            // Each token is due at a fixed offset from the request's arrival, so timer slack does not accumulate.
            var due = options.TimeToFirstToken + TimeSpan.FromSeconds(i / options.TokensPerSecond);
            // Timers fire on whole milliseconds; rounding up keeps a token from leaving before it is due.
            for (var wait = due - Stopwatch.GetElapsedTime(started); wait > TimeSpan.Zero; wait = due - Stopwatch.GetElapsedTime(started))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), aborted);
            }

            chunks.WriteContent(tokens[i]);
            if (i == tokens.Count - 1)
            {
                chunks.WriteFinish(finish);
                chunks.WriteUsage(request.PromptTokens, count);
                chunks.WriteDone();
            }

            await context.Response.BodyWriter.FlushAsync(aborted);
        }
    }

    /// <summary>Exactly <paramref name="count"/> tokens: the simulated model's answer, continued with the next seed's when short.</summary>
    private static List<string> Tokens(string model, IReadOnlyList<ChatMessage> messages, long seed, int count)
    {
        var tokens = new List<string>(count);
        for (var s = seed; tokens.Count < count; s++)
        {
            foreach (var token in SimulatedTextGenerator.Tokens(model, messages, s))
            {
                // A continuation's first word has no leading space of its own.
                var joined = tokens.Count == 0 || token.StartsWith(' ') || (token.Length == 1 && char.IsPunctuation(token[0]));
                tokens.Add(joined ? token : " " + token);
                if (tokens.Count == count)
                {
                    break;
                }
            }
        }

        return tokens;
    }
}
