namespace Infera.Verification;

/// <summary>How outputs are judged. Section <c>Infera:Verification</c>.</summary>
public sealed class VerificationOptions
{
    /// <summary>Cosine similarity at or above which two outputs agree. Default 0.8.</summary>
    public double Threshold { get; set; } = 0.8;

    /// <summary>
    /// An agreeing output shorter than this share of the group's median length, that stopped by itself, was cut short
    /// and disagrees. Default 0.7.
    /// </summary>
    public double TruncationRatio { get; set; } = 0.7;
}
