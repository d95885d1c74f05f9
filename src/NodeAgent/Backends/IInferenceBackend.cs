using Infera.Jobs;
using Infera.NodeLink;

namespace Infera.NodeAgent.Backends;

/// <summary>A local inference server the agent runs jobs on (Ollama, an OpenAI-compatible server, or the simulator).</summary>
public interface IInferenceBackend
{
    /// <summary>"ollama", "openai" or "simulated": reported to the silo in the hello.</summary>
    string Kind { get; }

    /// <summary>
    /// Whether the backend samples deterministically from a seed (Ollama's options.seed, vLLM's seed, the simulator),
    /// so that honest replicas of a job produce the same tokens.
    /// </summary>
    bool HonoursSeed => true;

    /// <summary>The models the backend can serve now.</summary>
    Task<IReadOnlyList<ModelOffer>> ListModelsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Streams a chat completion: text pieces as they come, then exactly one <see cref="BackendDone"/>.
    /// Failures are a <see cref="BackendException"/> whose message is fit to show the silo.
    /// </summary>
    IAsyncEnumerable<BackendChunk> StreamChatAsync(BackendRequest request, CancellationToken cancellationToken);
}

public sealed record BackendRequest(string Model, IReadOnlyList<ChatMessage> Messages, SamplingParameters Sampling);

public abstract record BackendChunk;

public sealed record BackendText(string Text) : BackendChunk;

/// <summary>The end of a completion: why it stopped ("stop" or "length") and token counts.</summary>
public sealed record BackendDone(string FinishReason, int PromptTokens, int CompletionTokens) : BackendChunk;

/// <summary>The backend could not complete the request.</summary>
public sealed class BackendException : Exception
{
    public BackendException(string message) : base(message) { }

    public BackendException(string message, Exception inner) : base(message, inner) { }

    public BackendException() { }
}
