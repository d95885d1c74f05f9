namespace Infera.NodeAgent.Backends;

/// <summary>A simulated answer after max tokens and stop sequences: its tokens, finish reason and token counts.</summary>
public sealed record SimulatedCompletion(IReadOnlyList<string> Tokens, string FinishReason, int PromptTokens)
{
    public string Text => string.Concat(Tokens);

    public int CompletionTokens => Tokens.Count;
}
