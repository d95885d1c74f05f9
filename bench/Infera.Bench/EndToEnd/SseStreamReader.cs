using System.Diagnostics;
using System.Text.Json;

namespace Infera.Bench.EndToEnd;

/// <summary>
/// Reads an OpenAI SSE stream as a client does, and stamps each content delta with the time its bytes arrived. Only
/// what the timing needs is parsed: the <c>data:</c> lines, whether a chunk carries non-empty content, errors, [DONE].
/// </summary>
internal sealed class SseStreamReader
{
    private readonly byte[] _buffer = new byte[16 * 1024];
    private byte[] _line = new byte[4096];
    private int _lineLength;

    public long? FirstContentAt { get; private set; }

    public List<long> Gaps { get; } = new(64);

    public int ContentEvents { get; private set; }

    public bool SawDone { get; private set; }

    public string? Error { get; private set; }

    public async Task ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        long lastContentAt = 0;
        while (!SawDone && Error is null)
        {
            var read = await body.ReadAsync(_buffer, cancellationToken);
            if (read == 0)
            {
                return;
            }

            var arrivedAt = Stopwatch.GetTimestamp();
            var span = _buffer.AsSpan(0, read);
            while (span.Length > 0)
            {
                var newline = span.IndexOf((byte)'\n');
                if (newline < 0)
                {
                    Append(span);
                    break;
                }

                Append(span[..newline]);
                span = span[(newline + 1)..];
                if (OnLine(_line.AsSpan(0, _lineLength)))
                {
                    if (FirstContentAt is null)
                    {
                        FirstContentAt = arrivedAt;
                    }
                    else
                    {
                        Gaps.Add(arrivedAt - lastContentAt);
                    }

                    lastContentAt = arrivedAt;
                    ContentEvents++;
                }

                _lineLength = 0;
            }
        }
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_lineLength + bytes.Length > _line.Length)
        {
            Array.Resize(ref _line, Math.Max(_line.Length * 2, _lineLength + bytes.Length));
        }

        bytes.CopyTo(_line.AsSpan(_lineLength));
        _lineLength += bytes.Length;
    }

    /// <summary>True when the line is a chunk with non-empty content.</summary>
    private bool OnLine(ReadOnlySpan<byte> line)
    {
        if (!line.StartsWith("data:"u8))
        {
            return false;
        }

        var data = line[5..].TrimStart((byte)' ').TrimEnd((byte)'\r');
        if (data.SequenceEqual("[DONE]"u8))
        {
            SawDone = true;
            return false;
        }

        var json = new Utf8JsonReader(data);
        while (json.Read())
        {
            if (json.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (json.ValueTextEquals("content"u8))
            {
                json.Read();
                return json.TokenType == JsonTokenType.String && json.ValueSpan.Length > 0;
            }

            if (json.ValueTextEquals("error"u8) && json.CurrentDepth == 1)
            {
                json.Read();
                if (json.TokenType == JsonTokenType.StartObject)
                {
                    Error = "error event: " + System.Text.Encoding.UTF8.GetString(data);
                    return false;
                }
            }
        }

        return false;
    }
}
