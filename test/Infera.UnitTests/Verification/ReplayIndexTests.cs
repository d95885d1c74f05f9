using Infera.Verification;

namespace Infera.UnitTests.Verification;

public sealed class ReplayIndexTests
{
    private const string AnswerA =
        "The water cycle moves water between the sea, the air and the land. The sun warms the sea and water rises as vapour, " +
        "cools into clouds, and falls again as rain or snow that runs back through rivers to the sea.";

    private const string AnswerB =
        "A bicycle stays upright because the rider steers into any lean, and the spinning wheels and the shape of the fork " +
        "help it return to balance, so small corrections keep it moving in a straight line at speed.";

    [Test]
    public void Whitespace_and_case_noise_do_not_hide_a_copied_text()
    {
        var noisy = "  THE water   cycle moves water\n\nbetween the sea,  the air and the land." + AnswerA[AnswerA.IndexOf(" The sun", StringComparison.Ordinal)..].Replace(" ", "  ", StringComparison.Ordinal);

        Assert.That(TextFingerprint.Of(noisy).Similarity(TextFingerprint.Of(AnswerA)), Is.GreaterThan(0.9));
        Assert.That(TextFingerprint.Of(AnswerB).Similarity(TextFingerprint.Of(AnswerA)), Is.LessThan(0.1));
    }

    [Test]
    public void An_answer_to_another_prompt_is_found_as_a_replay()
    {
        var index = new ReplayIndex();
        index.Add("m", "prompt-a", "job-a", TextFingerprint.Of(AnswerA));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(index.FindReplay("m", "prompt-b", TextFingerprint.Of(AnswerA.Replace(" ", "   ", StringComparison.Ordinal))), Is.EqualTo("job-a"));
            Assert.That(index.FindReplay("m", "prompt-a", TextFingerprint.Of(AnswerA)), Is.Null, "the same prompt may get the same answer");
            Assert.That(index.FindReplay("other-model", "prompt-b", TextFingerprint.Of(AnswerA)), Is.Null);
            Assert.That(index.FindReplay("m", "prompt-b", TextFingerprint.Of(AnswerB)), Is.Null);
        }
    }

    [Test]
    public void Short_answers_are_never_called_replays()
    {
        var index = new ReplayIndex();
        index.Add("m", "prompt-a", "job-a", TextFingerprint.Of("Yes, that is correct."));

        Assert.That(index.FindReplay("m", "prompt-b", TextFingerprint.Of("Yes, that is correct.")), Is.Null);
    }

    [Test]
    public void The_oldest_answers_are_forgotten_when_the_index_is_full()
    {
        var index = new ReplayIndex(capacityPerModel: 1);
        index.Add("m", "prompt-a", "job-a", TextFingerprint.Of(AnswerA));
        index.Add("m", "prompt-b", "job-b", TextFingerprint.Of(AnswerB));

        Assert.That(index.FindReplay("m", "prompt-c", TextFingerprint.Of(AnswerA)), Is.Null);
        Assert.That(index.FindReplay("m", "prompt-c", TextFingerprint.Of(AnswerB)), Is.EqualTo("job-b"));
    }

    [Test]
    public void The_same_answer_to_the_same_prompt_is_kept_once()
    {
        var index = new ReplayIndex(capacityPerModel: 2);
        index.Add("m", "prompt-a", "job-a1", TextFingerprint.Of(AnswerA));
        index.Add("m", "prompt-a", "job-a2", TextFingerprint.Of(AnswerA)); // a repeat: not stored
        index.Add("m", "prompt-b", "job-b", TextFingerprint.Of(AnswerB));

        // Had the repeat taken a place, job-b would have pushed job-a1 out of the two-entry ring.
        Assert.That(index.FindReplay("m", "prompt-c", TextFingerprint.Of(AnswerA)), Is.EqualTo("job-a1"));
        Assert.That(index.FindReplay("m", "prompt-c", TextFingerprint.Of(AnswerB)), Is.EqualTo("job-b"));
    }
}
