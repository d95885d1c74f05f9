namespace Infera.Simulation;

/// <summary>
/// What makes honest replicas of an unseeded backend differ: now and then a word comes out as another word. At the
/// default 3% two honest answers of ~100 words differ in about six words.
/// </summary>
internal static class SamplingNoise
{
    public const double DefaultRate = 0.03;

    private static readonly string[] Vocabulary =
    [
        "simple", "moment", "better", "people", "around", "little", "thought", "before", "always", "another",
        "number", "place", "things", "often", "early", "large", "system", "second", "common", "matter",
        "really", "change", "course", "market", "follow", "rather", "minute", "likely", "within", "ground",
        "health", "plenty", "season", "middle", "single", "window", "animal", "simply", "garden", "figure",
    ];

    /// <summary>The tokens with each word replaced by a vocabulary word with probability <paramref name="rate"/>.</summary>
    public static List<string> Apply(IReadOnlyList<string> tokens, Random random, double rate = DefaultRate)
    {
        var noisy = new List<string>(tokens.Count);
        foreach (var token in tokens)
        {
            var word = token.TrimStart(' ');
            if (word.Length > 0 && char.IsLetter(word[0]) && random.NextDouble() < rate)
            {
                noisy.Add(token[..(token.Length - word.Length)] + Vocabulary[random.Next(Vocabulary.Length)]);
            }
            else
            {
                noisy.Add(token);
            }
        }

        return noisy;
    }
}
