using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using Infera.Gateway.OpenAi;
using Infera.Jobs;

namespace Infera.Bench.Micro;

/// <summary>
/// The gateway's SSE writer: one content chunk written and flushed (what the gateway does per token when tokens
/// arrive one at a time), and a whole 32-token stream. The pipe drains into <see cref="Stream.Null"/>.
/// </summary>
public class SseWriterBenchmarks : IDisposable
{
    private static readonly string[] Tokens = [.. Enumerable.Range(0, 32).Select(i => i == 0 ? "Independent" : " word" + i)];
    private PipeWriter _pipe = null!;
    private ChatCompletionWriter _writer = null!;
    private readonly JobCompleted _completed = new("length", 20, 32);

    [GlobalSetup]
    public void Setup()
    {
        _pipe = PipeWriter.Create(Stream.Null, new StreamPipeWriterOptions(leaveOpen: true));
        _writer = new ChatCompletionWriter(_pipe, "job-0123456789abcdef01234567", "bench-model", 1_735_689_600);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _writer.Dispose();
        _pipe.Complete();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Description = "one content chunk + flush")]
    public ValueTask<FlushResult> ContentChunk()
    {
        _writer.WriteContent(" token");
        return _writer.FlushAsync(CancellationToken.None);
    }

    [Benchmark(Description = "whole stream: role, 32 chunks, finish, usage, [DONE]; flush per chunk")]
    public async Task WholeStream()
    {
        _writer.WriteRole();
        foreach (var token in Tokens)
        {
            _writer.WriteContent(token);
            await _writer.FlushAsync(CancellationToken.None);
        }

        _writer.WriteFinish("length");
        _writer.WriteUsage(_completed);
        _writer.WriteDone();
        await _writer.FlushAsync(CancellationToken.None);
    }
}
