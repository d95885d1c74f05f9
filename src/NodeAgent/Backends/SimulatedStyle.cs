namespace Infera.NodeAgent.Backends;

/// <summary>
/// A simulated model's voice: its own share of the vocabulary and its own habits (adjectives, openers, long
/// clauses), all derived from the model name, so two models answer the same prompt with clearly different text.
/// </summary>
internal sealed class SimulatedStyle
{
    private const int MinWords = 6;
    private const int MaxWords = 16;

    private readonly string[] _nouns;
    private readonly string[] _verbs;
    private readonly string[] _adjectives;
    private readonly string[] _adverbs;
    private readonly string[] _prepositions;
    private readonly string[] _determiners;
    private readonly string[] _openers;
    private readonly string[] _conjunctions;
    private readonly double _adjectiveChance;
    private readonly double _adverbChance;
    private readonly double _openerChance;
    private readonly double _clauseChance;
    private readonly double _exclamationChance;
    private readonly double _topicChance;

    private SimulatedStyle(SimulationRandom random)
    {
        _nouns = random.Subset(SimulatedVocabulary.Nouns, random.Between(0.4, 0.6));
        _verbs = random.Subset(SimulatedVocabulary.Verbs, random.Between(0.4, 0.6));
        _adjectives = random.Subset(SimulatedVocabulary.Adjectives, random.Between(0.4, 0.6));
        _adverbs = random.Subset(SimulatedVocabulary.Adverbs, random.Between(0.3, 0.6));
        _prepositions = random.Subset(SimulatedVocabulary.Prepositions, random.Between(0.4, 0.7));
        _determiners = random.Subset(SimulatedVocabulary.Determiners, random.Between(0.4, 0.7));
        _openers = random.Subset(SimulatedVocabulary.Openers, random.Between(0.2, 0.5));
        _conjunctions = random.Subset(SimulatedVocabulary.Conjunctions, random.Between(0.3, 0.6));
        _adjectiveChance = random.Between(0.2, 0.7);
        _adverbChance = random.Between(0.1, 0.45);
        _openerChance = random.Between(0.05, 0.4);
        _clauseChance = random.Between(0.2, 0.7);
        _exclamationChance = random.Between(0.0, 0.08);
        _topicChance = random.Between(0.15, 0.35);
    }

    public static SimulatedStyle For(string model) => new(new SimulationRandom(StableHash.Of(model)));

    /// <summary>Appends one sentence of 6–16 words: words and punctuation marks as separate items.</summary>
    public void WriteSentence(SimulationRandom random, IReadOnlyList<string> topics, List<string> output)
    {
        var sentence = new List<string>();
        var targetWords = random.Between(MinWords, MaxWords);
        if (random.Chance(_openerChance))
        {
            sentence.AddRange(random.Pick(_openers).Split(' '));
            sentence.Add(",");
        }

        NounPhrase(random, topics, sentence);
        VerbPhrase(random, topics, sentence);
        while (WordCount(sentence) < targetWords)
        {
            var room = MaxWords - WordCount(sentence);
            // Room is checked against each extension's longest form, so no sentence passes MaxWords.
            if (room >= 9 && random.Chance(_clauseChance))
            {
                sentence.Add(",");
                sentence.Add(random.Pick(_conjunctions));
                NounPhrase(random, topics, sentence);
                VerbPhrase(random, topics, sentence);
            }
            else if (room >= 4)
            {
                sentence.Add(random.Pick(_prepositions));
                NounPhrase(random, topics, sentence);
            }
            else
            {
                break;
            }
        }

        sentence.Add(random.Chance(_exclamationChance) ? "!" : ".");
        FixArticles(sentence);
        sentence[0] = char.ToUpperInvariant(sentence[0][0]) + sentence[0][1..];
        output.AddRange(sentence);
    }

    public static bool IsPunctuation(string item) => item is "," or "." or "!";

    private void NounPhrase(SimulationRandom random, IReadOnlyList<string> topics, List<string> sentence)
    {
        sentence.Add(random.Pick(_determiners));
        if (random.Chance(_adjectiveChance))
        {
            sentence.Add(random.Pick(_adjectives));
        }

        sentence.Add(topics.Count > 0 && random.Chance(_topicChance) ? random.Pick(topics) : random.Pick(_nouns));
    }

    private void VerbPhrase(SimulationRandom random, IReadOnlyList<string> topics, List<string> sentence)
    {
        if (random.Chance(_adverbChance))
        {
            sentence.Add(random.Pick(_adverbs));
        }

        sentence.Add(random.Pick(_verbs));
        NounPhrase(random, topics, sentence);
    }

    private static int WordCount(List<string> sentence) => sentence.Count(item => !IsPunctuation(item));

    private static void FixArticles(List<string> sentence)
    {
        for (var i = 0; i < sentence.Count - 1; i++)
        {
            if (sentence[i] == "a" && StartsWithVowelSound(sentence[i + 1]))
            {
                sentence[i] = "an";
            }
        }
    }

    private static bool StartsWithVowelSound(string word) =>
        word.Length > 0
        && "aeiou".Contains(word[0], StringComparison.Ordinal)
        && !word.StartsWith("use", StringComparison.Ordinal)
        && !word.StartsWith("uni", StringComparison.Ordinal)
        && !word.StartsWith("one", StringComparison.Ordinal);
}
