using Infera.Jobs;
using Infera.NodeAgent.Backends;

namespace Infera.UnitTests.NodeAgent;

public sealed class SimulatedTextGeneratorTests
{
    private const string Model = "simulated-llama-3.2-1b";
    private const string PinnedStart = "Of course, each narrow structure passes this crystal without that mountain";

    private static readonly ChatMessage[] Prompt =
    [
        new("system", "You are a helpful assistant."),
        new("user", "Explain how rivers shape mountains over time."),
    ];

    [Test]
    public void Same_model_messages_and_seed_give_identical_tokens()
    {
        var first = SimulatedTextGenerator.Tokens(Model, Prompt, seed: 42).ToList();
        var second = SimulatedTextGenerator.Tokens(Model, [.. Prompt], seed: 42).ToList();

        Assert.That(second, Is.EqualTo(first));
    }

    [Test]
    public void Output_is_pinned_so_nodes_on_any_machine_and_runtime_agree()
    {
        // A changed hash, generator or word list breaks agreement between nodes running different builds.
        var text = string.Concat(SimulatedTextGenerator.Tokens(Model, Prompt, seed: 42).Take(12));

        Assert.That(text, Is.EqualTo(PinnedStart));
    }

    [Test]
    public void Different_models_answer_with_clearly_different_words()
    {
        var a = Words(SimulatedTextGenerator.Tokens("simulated-llama-3.2-1b", Prompt, 1));
        var b = Words(SimulatedTextGenerator.Tokens("simulated-qwen-2.5-7b", Prompt, 1));

        var overlap = (double)a.Intersect(b).Count() / a.Union(b).Count();
        Assert.That(overlap, Is.LessThan(0.5), $"word overlap {overlap:F2}");
    }

    [Test]
    public void Different_prompts_give_different_text()
    {
        var a = Text(SimulatedTextGenerator.Tokens(Model, [new("user", "Tell me about the sea.")], 1));
        var b = Text(SimulatedTextGenerator.Tokens(Model, [new("user", "Tell me about the sky.")], 1));

        Assert.That(a, Is.Not.EqualTo(b));
    }

    [Test]
    public void Changing_the_seed_changes_the_text()
    {
        var a = Text(SimulatedTextGenerator.Tokens(Model, Prompt, 1));
        var b = Text(SimulatedTextGenerator.Tokens(Model, Prompt, 2));

        Assert.That(a, Is.Not.EqualTo(b));
    }

    [Test]
    public void Answers_are_capitalised_punctuated_sentences_of_6_to_16_words_and_30_to_about_160_tokens()
    {
        for (var seed = 0; seed < 200; seed++)
        {
            var tokens = SimulatedTextGenerator.Tokens(Model, Prompt, seed).ToList();
            var sentences = Text(tokens).Split(['.', '!'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(tokens, Has.Count.InRange(30, 170), $"seed {seed}");
                Assert.That(tokens[0], Does.Not.StartWith(" "));
                Assert.That(tokens.Skip(1), Has.All.Match("^( [^ ]+|[.,!])$"));
                Assert.That(tokens[^1], Is.EqualTo(".").Or.EqualTo("!"));
                Assert.That(sentences.Select(WordCount), Has.All.InRange(6, 16), $"seed {seed}");
                Assert.That(sentences.Select(s => char.IsUpper(s[0])), Has.All.True, $"seed {seed}");
            }
        }
    }

    [Test]
    public void Max_tokens_cuts_the_answer_and_finishes_with_length()
    {
        var natural = SimulatedTextGenerator.Tokens(Model, Prompt, 7).ToList();

        var completion = SimulatedTextGenerator.Complete(Model, Prompt, new SamplingParameters(10, null, null, 7, null));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(completion.Tokens, Is.EqualTo(natural.Take(10)));
            Assert.That(completion.FinishReason, Is.EqualTo("length"));
            Assert.That(completion.CompletionTokens, Is.EqualTo(10));
        }
    }

    [Test]
    public void Max_tokens_at_or_above_the_natural_length_finishes_with_stop()
    {
        var natural = SimulatedTextGenerator.Tokens(Model, Prompt, 7).ToList();

        var exact = SimulatedTextGenerator.Complete(Model, Prompt, 7, natural.Count, null);
        var roomy = SimulatedTextGenerator.Complete(Model, Prompt, 7, 10_000, null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exact.Tokens, Is.EqualTo(natural));
            Assert.That(exact.FinishReason, Is.EqualTo("stop"));
            Assert.That(roomy.Tokens, Is.EqualTo(natural));
            Assert.That(roomy.FinishReason, Is.EqualTo("stop"));
        }
    }

    [Test]
    public void Stop_sequence_ends_the_text_just_before_it()
    {
        var natural = Text(SimulatedTextGenerator.Tokens(Model, Prompt, 3));
        var stop = natural.Substring(natural.IndexOf(' ', 40), 6);

        var completion = SimulatedTextGenerator.Complete(Model, Prompt, 3, null, ["never-appears", stop]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(completion.Text, Is.EqualTo(natural[..natural.IndexOf(stop, StringComparison.Ordinal)]));
            Assert.That(completion.FinishReason, Is.EqualTo("stop"));
            Assert.That(completion.CompletionTokens, Is.EqualTo(completion.Tokens.Count));
        }
    }

    [Test]
    public void Stop_sequence_spanning_two_tokens_is_found()
    {
        var natural = SimulatedTextGenerator.Tokens(Model, Prompt, 3).ToList();
        var stop = natural[5][^2..] + natural[6][..2];
        var text = Text(natural);

        var completion = SimulatedTextGenerator.Complete(Model, Prompt, 3, null, [stop]);

        Assert.That(completion.Text, Is.EqualTo(text[..text.IndexOf(stop, StringComparison.Ordinal)]));
    }

    [Test]
    public void Empty_stop_sequences_are_ignored()
    {
        var natural = SimulatedTextGenerator.Tokens(Model, Prompt, 3).ToList();

        var completion = SimulatedTextGenerator.Complete(Model, Prompt, 3, null, [""]);

        Assert.That(completion.Tokens, Is.EqualTo(natural));
    }

    [Test]
    public void Prompt_tokens_are_the_word_count_of_all_messages()
    {
        Assert.That(SimulatedTextGenerator.EstimatePromptTokens(Prompt), Is.EqualTo(5 + 7));
    }

    private static HashSet<string> Words(IEnumerable<string> tokens) =>
        [.. Text(tokens).ToLowerInvariant().Split([' ', ',', '.', '!'], StringSplitOptions.RemoveEmptyEntries)];

    private static string Text(IEnumerable<string> tokens) => string.Concat(tokens);

    private static int WordCount(string sentence) =>
        sentence.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Length;
}
