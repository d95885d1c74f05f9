namespace Infera.Jobs;

/// <summary>A chat completion accepted by a gateway for one tenant, as the silo receives it.</summary>
public sealed record JobRequest(
    string Tenant,
    string Model,
    IReadOnlyList<ChatMessage> Messages,
    SamplingParameters Sampling,
    bool Stream,
    bool WaitForVerification = false);
