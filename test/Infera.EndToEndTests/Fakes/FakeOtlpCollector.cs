using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Infera.EndToEndTests.Fakes;

/// <summary>
/// A loopback OTLP/HTTP receiver: accepts POSTs to <c>/v1/traces</c> and <c>/v1/metrics</c> and keeps their bodies
/// (protobuf, not decoded: its strings are plain UTF-8 inside, which is enough to look for names).
/// </summary>
public sealed class FakeOtlpCollector : IAsyncDisposable
{
    private readonly ConcurrentQueue<OtlpExport> _exports = new();
    private readonly WebApplication _app;

    private FakeOtlpCollector(WebApplication app) => _app = app;

    /// <summary>The root URL, e.g. http://127.0.0.1:40123/.</summary>
    public Uri BaseAddress => Embedded.EmbeddedNetwork.BoundAddress(_app.Services.GetRequiredService<IServer>());

    public IReadOnlyList<OtlpExport> Exports => [.. _exports];

    public static async Task<FakeOtlpCollector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var collector = new FakeOtlpCollector(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
            collector._exports.Enqueue(new OtlpExport(signal, request.ContentType, body.ToArray()));
            return Results.Ok();
        });
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return collector;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One export request as received.</summary>
public sealed record OtlpExport(string Signal, string? ContentType, byte[] Body)
{
    public bool Mentions(string name) => Body.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(name)) >= 0;
}
