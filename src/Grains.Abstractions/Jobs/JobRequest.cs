using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace Infera.Jobs;

/// <summary>A chat completion accepted by a gateway for one tenant, as the silo receives it.</summary>
public sealed record JobRequest(
    string Tenant,
    string Model,
    IReadOnlyList<ChatMessage> Messages,
    SamplingParameters Sampling,
    bool Stream,
    bool WaitForVerification = false,
    CanaryProbe? Canary = null)
{
    private string? _promptKey;

    /// <summary>
    /// Identifies the prompt (the messages, not the seed): two answers under different keys are answers to different
    /// questions, so one copying the other is a replay.
    /// </summary>
    [JsonIgnore]
    public string PromptKey => _promptKey ??= ComputePromptKey(Messages);

    /// <summary>The internal tenant that owns canary jobs.</summary>
    public const string CanaryTenant = "infera-canary";

    private static string ComputePromptKey(IReadOnlyList<ChatMessage> messages)
    {
        var text = new StringBuilder();
        foreach (var message in messages)
        {
            text.Append(message.Role).Append('\u0001').Append(message.Content).Append('\u0002');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 16));
    }
}

/// <summary>
/// A canary: a job sent to one node whose right answer is already known. <see cref="ExpectedAnswer"/> is null while
/// the answer is being established (then the job runs on k nodes like any other).
/// </summary>
public sealed record CanaryProbe(string? TargetNode, string? ExpectedAnswer);
