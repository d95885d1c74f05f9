using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Infera.Bench.EndToEnd;

/// <summary>
/// The benchmark's API client: streams chat completions from an OpenAI-compatible endpoint over pooled HTTP/1.1
/// connections, as many at once as asked, and times each stream (time to first token, gaps between tokens).
/// </summary>
internal sealed class LoadClient : IDisposable
{
    private const string JobIdHeader = "x-infera-job-id";
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;
    private readonly Uri _completions;
    private readonly string _model;
    private readonly int _maxTokens;

    public LoadClient(Uri baseAddress, string? apiKey, string model, int maxTokens)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 4096,
            PooledConnectionLifetime = TimeSpan.FromMinutes(30),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(120) };
        if (apiKey is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        _completions = new Uri(baseAddress, "/v1/chat/completions");
        _model = model;
        _maxTokens = maxTokens;
    }

    /// <summary>
    /// Runs <paramref name="streams"/> streams, <paramref name="concurrency"/> at a time (a closed loop: each worker
    /// starts its next stream when one ends). Workers start spread over <paramref name="stagger"/>, so streams do not
    /// all tick in lockstep, as independent users would not.
    /// </summary>
    public async Task<List<StreamSample>> RunAsync(int concurrency, int streams, TimeSpan stagger, int firstSeed, CancellationToken cancellationToken)
    {
        var samples = new StreamSample?[streams];
        var next = -1;
        var workers = Enumerable.Range(0, concurrency).Select(async worker =>
        {
            await Task.Delay(stagger * worker / concurrency, cancellationToken);
            int index;
            while ((index = Interlocked.Increment(ref next)) < streams)
            {
                samples[index] = await StreamOnceAsync(worker, firstSeed + index, cancellationToken);
            }
        });
        await Task.WhenAll(workers);
        return [.. samples.Where(s => s is not null).Select(s => s!)];
    }

    private async Task<StreamSample> StreamOnceAsync(int worker, int seed, CancellationToken cancellationToken)
    {
        var reader = new SseStreamReader();
        var started = Stopwatch.GetTimestamp();
        string? error = null;
        string? jobId = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _completions) { Content = Body(seed) };
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            jobId = response.Headers.TryGetValues(JobIdHeader, out var ids) ? ids.FirstOrDefault() : null;
            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                error = $"HTTP {(int)response.StatusCode}: {text[..Math.Min(200, text.Length)]}";
            }
            else
            {
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                await reader.ReadAsync(body, cancellationToken);
                error = reader.Error ?? (reader.SawDone ? null : "the stream ended without [DONE]");
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
        {
            error = ex.GetType().Name + ": " + ex.Message;
        }

        var ended = Stopwatch.GetTimestamp();
        if (error is null && reader.FirstContentAt is null)
        {
            error = "no content";
        }

        return new StreamSample(worker, started, ended, reader.FirstContentAt - started, reader.Gaps, reader.ContentEvents, error, jobId);
    }

    private ByteArrayContent Body(int seed)
    {
        var json = string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"model":"{{_model}}","stream":true,"stream_options":{"include_usage":true},"max_tokens":{{_maxTokens}},"seed":{{seed}},"messages":[{"role":"user","content":"Request {{seed}}: explain how a network of independent machines can check each other's answers."}]}""");
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        content.Headers.ContentType = Json;
        return content;
    }

    public void Dispose() => _http.Dispose();
}
