using System.Runtime.CompilerServices;
using Infera.NodeLink;

namespace Infera.NodeAgent.Backends;

/// <summary>
/// A backend with no model behind it: streams <see cref="SimulatedTextGenerator"/> text at a set pace. Its models
/// are labelled simulated (in their names and offers) so no one mistakes its output for inference.
/// </summary>
public sealed class SimulatedBackend : IInferenceBackend
{
    private readonly IReadOnlyList<string> _models;
    private readonly TimeSpan _timeToFirstToken;
    private readonly double _tokensPerSecond;
    private readonly TimeProvider _timeProvider;

    public SimulatedBackend(SimulatedBackendOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (options.Models.Count == 0)
        {
            throw new ArgumentException("The simulated backend needs at least one model name.", nameof(options));
        }

        foreach (var model in options.Models)
        {
            if (!model.Contains("simulated", StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException(
                    $"Simulated model name '{model}' must contain \"simulated\", so no one takes its output for a "
                    + "real model's.",
                    nameof(options));
            }
        }

        if (options.TimeToFirstToken < TimeSpan.Zero)
        {
            throw new ArgumentException("TimeToFirstToken must not be negative.", nameof(options));
        }

        if (!(options.TokensPerSecond > 0))
        {
            throw new ArgumentException("TokensPerSecond must be greater than zero.", nameof(options));
        }

        _models = [.. options.Models];
        _timeToFirstToken = options.TimeToFirstToken;
        _tokensPerSecond = options.TokensPerSecond;
        _timeProvider = timeProvider;
    }

    public string Kind => "simulated";

    public Task<IReadOnlyList<ModelOffer>> ListModelsAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ModelOffer> offers = [.. _models.Select(name => new ModelOffer(name, Simulated: true))];
        return Task.FromResult(offers);
    }

    public async IAsyncEnumerable<BackendChunk> StreamChatAsync(
        BackendRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_models.Contains(request.Model, StringComparer.Ordinal))
        {
            throw new BackendException($"Model '{request.Model}' is not served by the simulated backend.");
        }

        var completion = SimulatedTextGenerator.Complete(request.Model, request.Messages, request.Sampling);
        var started = _timeProvider.GetTimestamp();
        for (var i = 0; i < completion.Tokens.Count; i++)
        {
            // Each token is due at a fixed offset from the start, so timer slack does not add up over a long answer.
            var due = _timeToFirstToken + TimeSpan.FromSeconds(i / _tokensPerSecond);
            var wait = due - _timeProvider.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _timeProvider, cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
            yield return new BackendText(completion.Tokens[i]);
        }

        yield return new BackendDone(completion.FinishReason, completion.PromptTokens, completion.CompletionTokens);
    }
}
