using System.Collections.Concurrent;
using Infera.Jobs;
using Infera.Nodes;

namespace Infera.Canaries;

/// <summary>
/// Plans canaries: after a user's job, each node that took part may be sent a prompt whose right answer is known —
/// new nodes often, established ones now and then. A model's known answers are established by running canary
/// prompts as ordinary k-node jobs and keeping the verified answer.
/// </summary>
public sealed class CanaryService(CanaryOptions options, Random random)
{
    private readonly ConcurrentDictionary<string, Model> _models = new(StringComparer.Ordinal);

    public CanaryOptions Options => options;

    /// <summary>The canary job to send after <paramref name="node"/> took part in a job, or null.</summary>
    public JobRequest? Plan(string model, NodeGrain node)
    {
        var rate = node.Trust.Verdicts < options.NewNodeVerdicts ? options.NewNodeRate : options.EstablishedRate;
        if (!options.Enabled || Next() >= rate)
        {
            return null;
        }

        var known = _models.GetOrAdd(model, _ => new Model());
        lock (known)
        {
            if (known.References.Count > 0)
            {
                var reference = known.References[NextIndex(known.References.Count)];
                return reference.Request with { Canary = new CanaryProbe(node.Address.Value, reference.Answer) };
            }

            if (known.Establishing)
            {
                return null;
            }

            // No known answer yet: establish one on k nodes, like any job.
            known.Establishing = true;
            var prompt = CanaryPrompts.All[NextIndex(CanaryPrompts.All.Length)];
            return new JobRequest(
                JobRequest.CanaryTenant,
                model,
                [new ChatMessage("user", prompt)],
                new SamplingParameters(MaxTokens: 256, Temperature: 0.7, TopP: null, Seed: NextSeed(), Stop: null),
                Stream: false,
                Canary: new CanaryProbe(TargetNode: null, ExpectedAnswer: null));
        }
    }

    /// <summary>Keeps the verified answer of a job that established a canary.</summary>
    public void Established(JobRequest request, JobView job)
    {
        var known = _models.GetOrAdd(request.Model, _ => new Model());
        lock (known)
        {
            known.Establishing = false;
            var returned = job.Assignments.FirstOrDefault(a => a.Id == job.Verification?.ReturnedAssignment);
            if (job.Verification?.Status != VerificationStatuses.Verified || returned is null || job.Verification.ReturnedOutputAgreed != true)
            {
                return;
            }

            known.References.Add(new Reference(request with { Canary = null }, returned.Output));
            if (known.References.Count > options.ReferencesPerModel)
            {
                known.References.RemoveAt(0);
            }
        }
    }

    /// <summary>Known answers for a model, for tests and the node view.</summary>
    public int KnownAnswers(string model) => _models.TryGetValue(model, out var known) ? known.References.Count : 0;

    private double Next()
    {
        lock (random)
        {
            return random.NextDouble();
        }
    }

    private int NextIndex(int count)
    {
        lock (random)
        {
            return random.Next(count);
        }
    }

    private long NextSeed()
    {
        lock (random)
        {
            return random.NextInt64();
        }
    }

    private sealed record Reference(JobRequest Request, string Answer);

    private sealed class Model
    {
        public List<Reference> References { get; } = [];

        public bool Establishing { get; set; }
    }
}
