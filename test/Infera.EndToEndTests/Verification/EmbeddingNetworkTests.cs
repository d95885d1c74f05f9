using Infera.EndToEndTests.Fakes;
using Infera.EndToEndTests.Support;
using Infera.Jobs;
using Infera.NodeAgent.Backends;
using OpenAI.Chat;

namespace Infera.EndToEndTests.Verification;

/// <summary>A network configured to verify with a backend's embeddings.</summary>
public sealed class EmbeddingNetworkTests
{
    private const string EmbeddingModel = "nomic-embed-text";

    [Test]
    public async Task A_network_configured_for_ollama_embeddings_verifies_a_job_with_the_backends_vectors()
    {
        await using var ollama = await FakeOllamaServer.StartAsync(Networks.Model, EmbeddingModel);
        var job = await RunOneJobAsync(ollama, embeddingServer: ollama);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(job.Verification!.Method, Does.StartWith("ollama:").And.EqualTo($"ollama:{EmbeddingModel}-cosine"));
            Assert.That(job.Verification.Status, Is.EqualTo(VerificationStatuses.Verified));
            Assert.That(job.Verification.Verdicts.Select(v => v.Verdict), Is.All.EqualTo(Verdicts.Agree));
            Assert.That(ollama.EmbeddingRequestCount, Is.EqualTo(1), "one batch for the job's three outputs, answered by the backend");
        }
    }

    [Test]
    public async Task A_network_whose_embedding_backend_fails_still_verifies_the_job_lexically()
    {
        await using var ollama = await FakeOllamaServer.StartAsync(Networks.Model);
        await using var embeddings = await FakeOllamaServer.StartAsync(EmbeddingModel);
        embeddings.FailNextRequests = 1;
        var job = await RunOneJobAsync(ollama, embeddingServer: embeddings);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(job.Status, Is.EqualTo(JobStatuses.Completed));
            Assert.That(job.Verification!.Status, Is.EqualTo(VerificationStatuses.Verified));
            Assert.That(embeddings.RequestCount, Is.EqualTo(1), "the backend was asked once");
            Assert.That(embeddings.EmbeddingRequestCount, Is.Zero, "and failed, so the lexical embedder answered");
        }
    }

    /// <summary>Three agents on <paramref name="chat"/>; one job, settled.</summary>
    private static async Task<JobView> RunOneJobAsync(FakeOllamaServer chat, FakeOllamaServer embeddingServer)
    {
        await using var network = await TestNetwork.StartAsync(settings:
        [
            "--Infera:Verification:Embedding:Provider=ollama",
            $"--Infera:Verification:Embedding:Url={embeddingServer.BaseAddress}",
            $"--Infera:Verification:Embedding:Model={EmbeddingModel}",
            "--Infera:Canaries:Enabled=false", // a canary job would ask the embedder too, and the tests count requests
        ]);
        for (var i = 0; i < 3; i++)
        {
            await network.AddAgentAsync(new OllamaBackend(Networks.Http(chat.BaseAddress)));
        }

        var result = await network.ChatClient(Networks.Model).CompleteChatAsync([new UserChatMessage("Tell me about the sea.")]);
        Assert.That(result.GetRawResponse().Headers.TryGetValue("x-infera-job-id", out var jobId), Is.True);
        return await network.WaitForSettledJobAsync(jobId!);
    }
}
