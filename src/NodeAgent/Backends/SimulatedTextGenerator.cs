using System.Text;
using Infera.Jobs;

namespace Infera.NodeAgent.Backends;

/// <summary>
/// Deterministic stand-in for a language model: the same model, messages and seed always give the same tokens, on any
/// machine, so simulated nodes agree with each other and fake servers in tests agree with the simulated backend.
/// </summary>
public static class SimulatedTextGenerator
{
    // Natural answers run from 30 tokens to one sentence past 140, so streams are long enough to watch.
    private const int MinNaturalTokens = 30;
    private const int MaxNaturalTarget = 140;
    private const int MaxTopicWords = 8;

    private static readonly HashSet<string> CommonWords = new(StringComparer.Ordinal)
    {
        "about", "after", "again", "being", "could", "describe", "every", "explain", "other", "please", "should",
        "their", "there", "these", "thing", "those", "under", "where", "which", "while", "would", "write",
    };

    /// <summary>
    /// The model's full natural answer, token by token: a word with its leading space (none on the first), or a
    /// punctuation mark.
    /// </summary>
    public static IEnumerable<string> Tokens(string model, IReadOnlyList<ChatMessage> messages, long seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(messages);
        return Generate(model, messages, seed);
    }

    /// <summary>The answer as a server would return it: cut by the sampling's max tokens and stop sequences.</summary>
    public static SimulatedCompletion Complete(string model, IReadOnlyList<ChatMessage> messages, SamplingParameters sampling)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        return Complete(model, messages, sampling.Seed, sampling.MaxTokens, sampling.Stop);
    }

    /// <summary>
    /// Applies <paramref name="maxTokens"/> (below 1 means no limit; finish "length" when it cuts) and
    /// <paramref name="stop"/> (the text ends just before the first stop sequence; finish "stop").
    /// </summary>
    public static SimulatedCompletion Complete(
        string model, IReadOnlyList<ChatMessage> messages, long seed, int? maxTokens, IReadOnlyList<string>? stop)
    {
        var stops = stop?.Where(s => s.Length > 0).ToArray() ?? [];
        var longestStop = stops.Length == 0 ? 0 : stops.Max(s => s.Length);
        var promptTokens = EstimatePromptTokens(messages);
        var tokens = new List<string>();
        var text = new StringBuilder();
        foreach (var token in Tokens(model, messages, seed))
        {
            if (maxTokens is > 0 && tokens.Count == maxTokens)
            {
                return new SimulatedCompletion(tokens, "length", promptTokens);
            }

            // Only a match that ends inside the new token is new; earlier text was searched already.
            var searchFrom = Math.Max(0, text.Length - longestStop + 1);
            text.Append(token);
            tokens.Add(token);
            var cut = FirstStop(text, searchFrom, stops);
            if (cut >= 0)
            {
                return new SimulatedCompletion(TruncateAt(tokens, cut), "stop", promptTokens);
            }
        }

        return new SimulatedCompletion(tokens, "stop", promptTokens);
    }

    /// <summary>A rough prompt size: the number of whitespace-separated words in all messages.</summary>
    public static int EstimatePromptTokens(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return messages.Sum(m => m.Content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private static IEnumerable<string> Generate(string model, IReadOnlyList<ChatMessage> messages, long seed)
    {
        var style = SimulatedStyle.For(model);
        var random = new SimulationRandom(PromptHash(model, messages, seed));
        var topics = TopicWords(messages);
        var target = random.Between(MinNaturalTokens, MaxNaturalTarget);
        var sentence = new List<string>();
        var emitted = 0;
        while (emitted < target)
        {
            sentence.Clear();
            style.WriteSentence(random, topics, sentence);
            foreach (var item in sentence)
            {
                yield return emitted == 0 || SimulatedStyle.IsPunctuation(item) ? item : " " + item;
                emitted++;
            }
        }
    }

    private static ulong PromptHash(string model, IReadOnlyList<ChatMessage> messages, long seed)
    {
        var hash = new StableHash();
        hash.Add(model);
        foreach (var message in messages)
        {
            hash.Add(message.Role);
            hash.Add(message.Content);
        }

        hash.Add(seed);
        return hash.Value;
    }

    // Words of the last user message find their way into the answer, so it reads as being about the question.
    private static List<string> TopicWords(IReadOnlyList<ChatMessage> messages)
    {
        var last = messages.LastOrDefault(m => string.Equals(m.Role, "user", StringComparison.Ordinal))
            ?? (messages.Count > 0 ? messages[^1] : null);
        var topics = new List<string>();
        if (last is null)
        {
            return topics;
        }

        var word = new StringBuilder();
        foreach (var c in last.Content.Append(' '))
        {
            if (char.IsLetter(c))
            {
                word.Append(char.ToLowerInvariant(c));
                continue;
            }

            var candidate = Singular(word.ToString());
            word.Clear();
            if (candidate.Length >= 5 && !CommonWords.Contains(candidate) && !topics.Contains(candidate))
            {
                topics.Add(candidate);
                if (topics.Count == MaxTopicWords)
                {
                    break;
                }
            }
        }

        return topics;
    }

    // Topic words fill noun slots after "this" or "each"; a crude singular reads better there than a plural.
    private static string Singular(string word) =>
        word.Length > 5 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal)
            && !word.EndsWith("us", StringComparison.Ordinal) && !word.EndsWith("is", StringComparison.Ordinal)
            ? word[..^1]
            : word;

    private static int FirstStop(StringBuilder text, int searchFrom, string[] stops)
    {
        if (stops.Length == 0)
        {
            return -1;
        }

        var window = text.ToString(searchFrom, text.Length - searchFrom);
        var first = -1;
        foreach (var stop in stops)
        {
            var index = window.IndexOf(stop, StringComparison.Ordinal);
            if (index >= 0 && (first < 0 || index < first))
            {
                first = index;
            }
        }

        return first < 0 ? -1 : searchFrom + first;
    }

    // Keeps the text before `cut`; a token the cut falls inside is shortened to its part before the cut.
    private static List<string> TruncateAt(List<string> tokens, int cut)
    {
        var kept = new List<string>();
        var position = 0;
        foreach (var token in tokens)
        {
            if (position + token.Length <= cut)
            {
                kept.Add(token);
                position += token.Length;
                continue;
            }

            if (cut > position)
            {
                kept.Add(token[..(cut - position)]);
            }

            break;
        }

        return kept;
    }
}
