namespace Infera.Verification;

/// <summary>Turns an output into a vector; outputs that say the same thing land close together.</summary>
public interface IEmbedder
{
    /// <summary>A short name recorded with each verdict, so a verdict says how it was reached.</summary>
    string Method { get; }

    /// <summary>One vector per text, in order; all of one length.</summary>
    Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}
