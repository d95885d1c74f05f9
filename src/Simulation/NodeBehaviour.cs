using System.Text;
using Infera.NodeAgent.Backends;
using Infera.NodeLink;

namespace Infera.Simulation;

/// <summary>What one simulated node sends back for a dispatch; <see cref="Deviant"/>: not what an honest node would send.</summary>
internal sealed record Answer(string Text, string FinishReason, int PromptTokens, int CompletionTokens, bool Deviant);

/// <summary>How a simulated node answers. Each node has its own seeded <see cref="Random"/> for its noise and choices.</summary>
internal abstract class NodeBehaviour
{
    public const string CheaperModel = "simulated-tiny-135m";

    public abstract Answer Respond(Dispatch dispatch, Random random);

    /// <summary>The requested model's answer, as the simulated backend gives it, before any sampling noise.</summary>
    protected static SimulatedCompletion Model(Dispatch dispatch, string? model = null) =>
        SimulatedTextGenerator.Complete(model ?? dispatch.Model, dispatch.Messages, dispatch.Sampling);

    protected static Answer From(IReadOnlyList<string> tokens, string finishReason, int promptTokens, bool deviant) =>
        new(string.Concat(tokens), finishReason, promptTokens, tokens.Count, deviant);
}

/// <summary>Runs the model it claims; sampling noise makes its answer differ slightly from other honest nodes'.</summary>
internal sealed class Honest : NodeBehaviour
{
    public override Answer Respond(Dispatch dispatch, Random random)
    {
        var completion = Model(dispatch);
        return From(SamplingNoise.Apply(completion.Tokens, random), completion.FinishReason, completion.PromptTokens, deviant: false);
    }
}

/// <summary>(a) Random letters in words, as many as the honest answer has tokens.</summary>
internal sealed class Garbage : NodeBehaviour
{
    public override Answer Respond(Dispatch dispatch, Random random)
    {
        var honest = Model(dispatch);
        var tokens = new List<string>(honest.Tokens.Count);
        for (var i = 0; i < honest.Tokens.Count; i++)
        {
            var word = new char[random.Next(2, 10)];
            for (var c = 0; c < word.Length; c++)
            {
                word[c] = (char)('a' + random.Next(26));
            }

            tokens.Add((i == 0 ? string.Empty : " ") + new string(word));
        }

        return From(tokens, honest.FinishReason, honest.PromptTokens, deviant: true);
    }
}

/// <summary>(b) Serves an answer to another prompt, one it saw earlier, with its spacing disturbed.</summary>
internal sealed class Replay(AnswerArchive archive) : NodeBehaviour
{
    public override Answer Respond(Dispatch dispatch, Random random)
    {
        var prompt = dispatch.Messages[^1].Content;
        var source = archive.Other(prompt, random);
        var words = source.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var text = new StringBuilder();
        foreach (var word in words)
        {
            if (text.Length > 0)
            {
                // Doubled spaces, newlines, spaces before punctuation: what a naive exact-match check would miss.
                text.Append(random.Next(10) switch
                {
                    0 => "  ",
                    1 => "\n",
                    2 => " \n ",
                    _ => " ",
                });
            }

            text.Append(word);
        }

        return new Answer(text.ToString(), "stop", Model(dispatch).PromptTokens, words.Length, Deviant: true);
    }
}

/// <summary>(c) Runs a cheaper model for the same prompt and seed, with its own sampling noise.</summary>
internal sealed class CheaperModel : NodeBehaviour
{
    public override Answer Respond(Dispatch dispatch, Random random)
    {
        var completion = Model(dispatch, NodeBehaviour.CheaperModel);
        return From(SamplingNoise.Apply(completion.Tokens, random), completion.FinishReason, completion.PromptTokens, deviant: true);
    }
}

/// <summary>(d) Runs the model but stops after 30–75% of the tokens, reporting a natural stop.</summary>
internal sealed class StopEarly : NodeBehaviour
{
    public override Answer Respond(Dispatch dispatch, Random random)
    {
        var completion = Model(dispatch);
        var tokens = SamplingNoise.Apply(completion.Tokens, random);
        var kept = Math.Max(1, (int)Math.Round(tokens.Count * (0.30 + (0.45 * random.NextDouble()))));
        return From(tokens[..kept], "stop", completion.PromptTokens, deviant: true);
    }
}

/// <summary>(e) One operator's sybils: the cheaper model's text, identical on every colluder, so they agree exactly.</summary>
internal sealed class Sybil : NodeBehaviour
{
    public override Answer Respond(Dispatch dispatch, Random random)
    {
        var completion = Model(dispatch, NodeBehaviour.CheaperModel);
        return From(completion.Tokens, completion.FinishReason, completion.PromptTokens, deviant: true);
    }
}

/// <summary>Answers to users' prompts seen on the network, which replaying nodes serve for other prompts.</summary>
internal sealed class AnswerArchive
{
    // Before anything was seen, a replayer serves a canned answer to a question nobody asked.
    private static readonly Jobs.ChatMessage[] Fallback = [new("user", "Describe a quiet morning in a small harbor town.")];

    private readonly List<(string Prompt, string Answer)> _seen = [];

    public void Add(string prompt, string answer) => _seen.Add((prompt, answer));

    /// <summary>A seen answer to a prompt other than <paramref name="prompt"/>.</summary>
    public string Other(string prompt, Random random)
    {
        var others = _seen.Where(s => !string.Equals(s.Prompt, prompt, StringComparison.Ordinal)).ToList();
        return others.Count > 0
            ? others[random.Next(others.Count)].Answer
            : SimulatedTextGenerator.Complete(Workload.Model, Fallback, seed: 0, Workload.MaxTokens, stop: null).Text;
    }
}
