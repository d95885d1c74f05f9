using Microsoft.Extensions.Logging;

namespace Infera.Verification;

/// <summary>
/// Embeds with a backend and, for any call the backend fails (an error answer, unreachable, too slow), with a fallback
/// embedder instead, so a job's verification never fails for want of a backend.
/// </summary>
public sealed partial class FallbackEmbedder(IEmbedder primary, IEmbedder fallback, ILogger<FallbackEmbedder> logger) : IEmbedder
{
    /// <summary>
    /// The primary's method, even for a call the fallback answered: a verdict records one method, and a fallback is
    /// rare, so it is logged (a warning, event 3101) rather than recorded.
    /// </summary>
    public string Method => primary.Method;

    public async Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        try
        {
            return await primary.EmbedAsync(texts, cancellationToken);
        }
        catch (Exception e) when (IsBackendFailure(e, cancellationToken))
        {
            LogFellBack(logger, primary.Method, fallback.Method, e.Message);
            return await fallback.EmbedAsync(texts, cancellationToken);
        }
    }

    // A cancellation the caller asked for is theirs to see; any other is a timeout.
    private static bool IsBackendFailure(Exception e, CancellationToken cancellationToken) =>
        e is EmbeddingException or HttpRequestException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    [LoggerMessage(3101, LogLevel.Warning, "Embedding with {Primary} failed, so this verification used {Fallback}: {Error}")]
    private static partial void LogFellBack(ILogger logger, string primary, string fallback, string error);
}
