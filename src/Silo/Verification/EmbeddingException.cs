namespace Infera.Verification;

/// <summary>An embedding backend failed: unreachable, too slow, an error answer, or vectors of the wrong shape.</summary>
public sealed class EmbeddingException : Exception
{
    public EmbeddingException()
    {
    }

    public EmbeddingException(string message)
        : base(message)
    {
    }

    public EmbeddingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
