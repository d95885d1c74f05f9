using Infera.Jobs;

namespace Infera.Simulation;

/// <summary>The users: a pool of distinct prompts (templates × topics), drawn at random, each job with its own seed.</summary>
internal sealed class Workload(Random random)
{
    public const string Model = "simulated-llama-3.2-1b";
    public const string Tenant = "simulated-users";
    public const int MaxTokens = 128;

    private static readonly string[] Templates =
    [
        "Explain {0} to a curious teenager.",
        "Write a short paragraph about {0}.",
        "What are the most common mistakes people make with {0}?",
        "Give me three practical tips about {0}.",
        "Summarise the history of {0} in a few sentences.",
        "How would you teach {0} to a complete beginner?",
        "Describe the main ideas behind {0}.",
        "What questions should I ask before starting with {0}?",
        "Compare two different approaches to {0}.",
        "Why does {0} matter for a small business?",
    ];

    private static readonly string[] Topics =
    [
        "container gardening", "public transport planning", "sourdough baking", "home insulation", "bird migration",
        "budget travel", "password managers", "marathon training", "urban beekeeping", "composting",
        "jazz improvisation", "watercolor painting", "solar panels", "language learning", "chess openings",
        "remote team meetings", "coffee roasting", "bicycle maintenance", "wildfire prevention", "tidal energy",
        "early childhood reading", "open source licensing", "volcanic islands", "sleep hygiene", "river restoration",
        "museum curation", "weather forecasting", "typography", "kitchen knife care", "library archives",
    ];

    /// <summary>Every prompt the users ask, in a fixed order.</summary>
    public static IReadOnlyList<string> Prompts { get; } =
        [.. Templates.SelectMany(t => Topics.Select(topic => string.Format(System.Globalization.CultureInfo.InvariantCulture, t, topic)))];

    public JobRequest Next()
    {
        var prompt = Prompts[random.Next(Prompts.Count)];
        return new JobRequest(
            Tenant,
            Model,
            [new ChatMessage("user", prompt)],
            new SamplingParameters(MaxTokens, Temperature: 0.7, TopP: null, Seed: random.NextInt64(), Stop: null),
            Stream: true);
    }
}
