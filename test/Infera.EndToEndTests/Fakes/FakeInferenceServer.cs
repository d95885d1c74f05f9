using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Infera.NodeAgent.Backends;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Infera.EndToEndTests.Fakes;

/// <summary>
/// A real Kestrel server on a loopback port that plays an inference server, with knobs to slow it, break it and count
/// what it was sent.
/// </summary>
public abstract class FakeInferenceServer : IAsyncDisposable
{
    // Quotes and apostrophes stay as they are, as real servers write them, rather than as \u0022 escapes.
    private static readonly JsonSerializerOptions WireJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ConcurrentQueue<string> _chatRequestBodies = new();
    private WebApplication? _app;
    private int _requestCount;
    private int _embeddingRequestCount;
    private int _failNextRequests;

    protected FakeInferenceServer(IReadOnlyList<string> models) => Models = models;

    /// <summary>The models this server knows; others get the server's "model not found" answer.</summary>
    public IReadOnlyList<string> Models { get; }

    /// <summary>The root URL, e.g. http://127.0.0.1:40123/.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Pause before each streamed token. Default: none.</summary>
    public TimeSpan TokenDelay { get; set; }

    /// <summary>When set, a stream drops its connection after this many content tokens.</summary>
    public int? AbortAfterTokens { get; set; }

    /// <summary>Requests received, failed ones included.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>
    /// When set, answers with this model's text whatever model was asked for: a node that serves a cheaper model than
    /// it claims, or any node whose answers are wrong.
    /// </summary>
    public string? AnswerAsModel { get; set; }

    /// <summary>The completion this server gives for <paramref name="request"/>.</summary>
    protected SimulatedCompletion Answer(FakeChatRequest request) =>
        (AnswerAsModel is { } model ? request with { Model = model } : request).Complete();

    /// <summary>Embedding requests answered with vectors (error answers are in <see cref="RequestCount"/> only).</summary>
    public int EmbeddingRequestCount => Volatile.Read(ref _embeddingRequestCount);

    /// <summary>Pause before answering each embedding request. Default: none.</summary>
    public TimeSpan EmbeddingDelay { get; set; }

    /// <summary>How many of the next requests get HTTP 500 with an error body in the server's format.</summary>
    public int FailNextRequests
    {
        get => Volatile.Read(ref _failNextRequests);
        set => Interlocked.Exchange(ref _failNextRequests, value);
    }

    /// <summary>The JSON bodies of chat requests received, oldest first.</summary>
    public IReadOnlyList<string> ChatRequestBodies => [.. _chatRequestBodies];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref _requestCount);
            if (TryTakeFailure())
            {
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(FailureBody, context.RequestAborted);
                return;
            }

            await next(context);
        });
        MapRoutes(app);
        await app.StartAsync(cancellationToken);
        _app = app;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()
            ?? throw new InvalidOperationException("Kestrel reported no addresses.");
        BaseAddress = new Uri(addresses.Addresses.Single().TrimEnd('/') + "/");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
            _app = null;
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The JSON body of the server's HTTP 500 answer.</summary>
    protected abstract string FailureBody { get; }

    protected abstract void MapRoutes(WebApplication app);

    protected static string ToJson(JsonNode node) => node.ToJsonString(WireJson);

    /// <summary>
    /// Parses a request body and checks that it names a model this server has. On failure it answers 400 or 404 in
    /// the server's own error format and returns null.
    /// </summary>
    protected async Task<(JsonNode Body, T Request)?> ParseRequestAsync<T>(
        HttpContext context, string body, Func<JsonNode, T> parse, Func<T, string?> model)
    {
        JsonNode node;
        T request;
        try
        {
            node = JsonNode.Parse(body)!;
            request = parse(node);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            await WriteBadRequestAsync(context, e.Message);
            return null;
        }

        if (model(request) is not { } name || !Models.Contains(name, StringComparer.Ordinal))
        {
            await WriteModelNotFoundAsync(context, model(request));
            return null;
        }

        return (node, request);
    }

    /// <summary>Answers 400 for a body that could not be read, as the real server words it.</summary>
    protected abstract Task WriteBadRequestAsync(HttpContext context, string detail);

    /// <summary>Answers 404 for a model the server does not have, as the real server words it.</summary>
    protected abstract Task WriteModelNotFoundAsync(HttpContext context, string? model);

    protected async Task<string> ReadChatBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        _chatRequestBodies.Enqueue(body);
        return body;
    }

    /// <summary>Reads an embedding request's body and waits out <see cref="EmbeddingDelay"/>.</summary>
    protected async Task<string> ReadEmbeddingBodyAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (EmbeddingDelay > TimeSpan.Zero)
        {
            await Task.Delay(EmbeddingDelay, request.HttpContext.RequestAborted);
        }

        return body;
    }

    protected void CountEmbeddingAnswered() => Interlocked.Increment(ref _embeddingRequestCount);

    /// <summary>Waits out <see cref="TokenDelay"/>; false when the stream should drop here instead.</summary>
    protected async Task<bool> BeforeTokenAsync(HttpContext context, int tokensSent)
    {
        if (AbortAfterTokens is { } limit && tokensSent >= limit)
        {
            context.Abort();
            return false;
        }

        if (TokenDelay > TimeSpan.Zero)
        {
            await Task.Delay(TokenDelay, context.RequestAborted);
        }

        return true;
    }

    private bool TryTakeFailure()
    {
        while (true)
        {
            var left = Volatile.Read(ref _failNextRequests);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _failNextRequests, left - 1, left) == left)
            {
                return true;
            }
        }
    }
}
