namespace Infera.Verification;

/// <summary>How outputs are judged. Section <c>Infera:Verification</c>.</summary>
public sealed class VerificationOptions
{
    /// <summary>Cosine similarity at or above which two outputs agree. Default 0.8.</summary>
    public double Threshold { get; set; } = 0.8;

    /// <summary>
    /// An output that stopped by itself, whose words begin another output of the job that is longer by more than
    /// 1 / this ratio, was cut short and disagrees. Default 0.9.
    /// </summary>
    public double TruncationRatio { get; set; } = 0.9;
}
