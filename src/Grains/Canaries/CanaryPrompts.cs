namespace Infera.Canaries;

/// <summary>
/// The questions canaries ask. Synthetic on purpose: recording users' prompts as canaries would show them to other
/// nodes. They read like ordinary requests, so a node cannot tell a canary from a user's job.
/// </summary>
internal static class CanaryPrompts
{
    public static readonly string[] All =
    [
        "Explain how a refrigerator keeps food cold.",
        "Write a short paragraph about the history of the printing press.",
        "What are three good habits for writing maintainable code?",
        "Describe the water cycle for a ten year old.",
        "Give me tips for a first-time visitor to a large museum.",
        "Summarise why sleep matters for memory.",
        "How does a bicycle stay upright while moving?",
        "Write a friendly email declining a meeting invitation.",
        "What should I pack for a weekend hiking trip?",
        "Explain the difference between weather and climate.",
        "Describe how bread rises.",
        "List some ways to reduce household energy use.",
        "Why do leaves change colour in autumn?",
        "Explain what a database index is and when to use one.",
        "Write a short story opening set in a lighthouse.",
        "How do vaccines train the immune system?",
        "Give advice for learning a new language as an adult.",
        "Explain how compound interest works with an example.",
        "What makes a good team meeting?",
        "Describe the main parts of a plant cell.",
        "How does a rainbow form?",
        "Suggest a simple weekly meal plan for a busy family.",
        "Explain why the sky looks blue.",
        "What are the benefits of regular walking?",
    ];
}
