using System.Collections.Concurrent;

namespace Infera.Verification;

/// <summary>
/// Recent agreed answers per model, by fingerprint. An output that matches an answer to a <em>different</em> prompt is a
/// replay: a node serving stored text instead of running the model. Short outputs are exempt, since two prompts can
/// honestly get the same few words.
/// </summary>
/// <remarks>
/// Lookups use locality-sensitive hashing: the 64-slot signature is cut into 16 bands of 4 slots, and only answers
/// sharing a whole band are compared. Texts with Jaccard similarity 0.6 share a band with probability ~0.89, at 0.8
/// almost surely; unrelated texts almost never, so a lookup costs a few hash probes instead of a scan.
/// </remarks>
public sealed class ReplayIndex(int capacityPerModel = 4096, int minimumWords = 20, double matchThreshold = 0.6)
{
    private const int Bands = 16;
    private const int Rows = TextFingerprint.Slots / Bands;
    private readonly ConcurrentDictionary<string, Model> _models = new(StringComparer.Ordinal);

    /// <summary>The job whose answer this output replays, or null.</summary>
    public string? FindReplay(string model, string promptKey, TextFingerprint output)
    {
        if (output.Words < minimumWords || !_models.TryGetValue(model, out var entries))
        {
            return null;
        }

        lock (entries)
        {
            for (var band = 0; band < Bands; band++)
            {
                if (!entries.Buckets.TryGetValue(BandKey(output, band), out var bucket))
                {
                    continue;
                }

                foreach (var entry in bucket)
                {
                    if (entry.PromptKey != promptKey && entry.Fingerprint.Similarity(output) >= matchThreshold)
                    {
                        return entry.JobId;
                    }
                }
            }
        }

        return null;
    }

    public void Add(string model, string promptKey, string jobId, TextFingerprint answer)
    {
        if (answer.Words < minimumWords)
        {
            return;
        }

        var entries = _models.GetOrAdd(model, _ => new Model(capacityPerModel));
        lock (entries)
        {
            // A prompt asked again and again gets the same answer again and again: keeping one copy is enough, and
            // keeps buckets from filling with duplicates that every later lookup would have to walk.
            if (entries.Buckets.TryGetValue(BandKey(answer, 0), out var same)
                && same.Exists(e => e.PromptKey == promptKey && e.Fingerprint.Similarity(answer) >= matchThreshold))
            {
                return;
            }

            if (entries.Ring[entries.Next] is { } evicted)
            {
                for (var band = 0; band < Bands; band++)
                {
                    var key = BandKey(evicted.Fingerprint, band);
                    if (entries.Buckets.TryGetValue(key, out var bucket) && bucket.Remove(evicted) && bucket.Count == 0)
                    {
                        entries.Buckets.Remove(key);
                    }
                }
            }

            var entry = new Entry(promptKey, jobId, answer);
            entries.Ring[entries.Next] = entry;
            entries.Next = (entries.Next + 1) % entries.Ring.Length;
            for (var band = 0; band < Bands; band++)
            {
                var key = BandKey(answer, band);
                if (!entries.Buckets.TryGetValue(key, out var bucket))
                {
                    entries.Buckets[key] = bucket = [];
                }

                bucket.Add(entry);
            }
        }
    }

    private static ulong BandKey(TextFingerprint fingerprint, int band)
    {
        var key = (ulong)band * 0x9E3779B97F4A7C15UL;
        for (var row = 0; row < Rows; row++)
        {
            key = (key ^ fingerprint.Signature[(band * Rows) + row]) * 0x100000001B3UL;
        }

        return key;
    }

    private sealed record Entry(string PromptKey, string JobId, TextFingerprint Fingerprint);

    private sealed class Model(int capacity)
    {
        public Entry?[] Ring { get; } = new Entry?[capacity];

        public Dictionary<ulong, List<Entry>> Buckets { get; } = [];

        public int Next { get; set; }
    }
}
