using System.Text;

namespace Infera.NodeAgent.Backends;

/// <summary>Reads a response body line by line; a dropped connection becomes a <see cref="BackendException"/>.</summary>
internal sealed class BackendStreamReader : IDisposable
{
    private readonly StreamReader _reader;

    public BackendStreamReader(Stream stream) =>
        _reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);

    /// <summary>The next line without its terminator (LF, CRLF or CR), or null at the end of the body.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _reader.ReadLineAsync(cancellationToken);
        }
        catch (IOException e) when (cancellationToken.IsCancellationRequested)
        {
            // Cancelling can abort the connection under a pending read; the caller asked for it, so it is no failure.
            throw new OperationCanceledException("The backend stream was cancelled.", e, cancellationToken);
        }
        catch (IOException e)
        {
            throw new BackendException($"The connection to the backend dropped mid-response: {e.Message}", e);
        }
        catch (HttpRequestException e)
        {
            throw new BackendException($"The connection to the backend dropped mid-response: {e.Message}", e);
        }
    }

    public void Dispose() => _reader.Dispose();
}
