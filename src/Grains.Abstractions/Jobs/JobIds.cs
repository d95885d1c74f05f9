using System.Security.Cryptography;

namespace Infera.Jobs;

public static class JobIds
{
    /// <summary>A new job id: 96 random bits, so ids can't be guessed.</summary>
    public static string New() => "job-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
}
