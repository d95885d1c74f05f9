using System.Text;
using System.Text.Json;
using Infera.EndToEndTests.Fakes;
using Infera.EndToEndTests.Support;
using Infera.Jobs;
using Infera.NodeAgent.Backends;
using OpenAI.Chat;

namespace Infera.EndToEndTests;

/// <summary>Nodes die; clients should notice as little as possible, and the job record tells what happened.</summary>
public sealed class FailoverTests
{
    [Test]
    public async Task Primary_killed_mid_stream_the_stream_completes_and_the_job_shows_the_replacement()
    {
        var (network, ollama, openAi) = await Networks.WithThreeAdapterAgentsAsync(extraOllamaAgents: 1);
        await using (network)
        await using (ollama)
        await using (openAi)
        {
            ollama.TokenDelay = openAi.TokenDelay = TimeSpan.FromMilliseconds(15);
            var text = new StringBuilder();
            string? jobId = null;
            TestAgent? killed = null;
            await foreach (var update in network.ChatClient(Networks.Model).CompleteChatStreamingAsync([new UserChatMessage("A long story, please.")]))
            {
                jobId ??= update.CompletionId;
                foreach (var part in update.ContentUpdate)
                {
                    text.Append(part.Text);
                }

                if (killed is null && text.Length > 20)
                {
                    var primary = (await network.GetJobAsync(jobId!)).Assignments.Single(a => a.Role == AssignmentRoles.Primary).Node;
                    killed = network.Agents.Single(a => a.Address == primary);
                    killed.Kill();
                }
            }

            Assert.That(killed, Is.Not.Null, "the stream ended before a node could be killed");
            var job = await network.WaitForSettledJobAsync(jobId!);
            var failed = job.Assignments.Single(a => a.Node == killed!.Address);
            var completed = job.Assignments.Where(a => a.Status == AssignmentStatuses.Completed).ToList();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(job.Status, Is.EqualTo(JobStatuses.Completed));
                Assert.That(failed.Status, Is.EqualTo(AssignmentStatuses.Failed));
                Assert.That(job.Assignments.Count(a => a.Replaces == failed.Id), Is.EqualTo(1), "a replacement took the lost node's place");
                Assert.That(completed, Has.Count.EqualTo(3));
                Assert.That(completed.Select(a => a.Output), Is.All.EqualTo(text.ToString()), "the client got the whole answer, seamlessly");
                Assert.That(job.Verification!.Status, Is.EqualTo(VerificationStatuses.Verified));
                Assert.That(job.Verification.ReturnedNode, Is.Not.EqualTo(killed!.Address));
            }
        }
    }

    [Test]
    public async Task A_primary_that_fails_before_its_first_token_is_replaced_without_the_client_noticing()
    {
        await using var broken = await FakeOllamaServer.StartAsync(Networks.Model);
        await using var healthy = await FakeOllamaServer.StartAsync(Networks.Model);
        // k = 1, so every job has one primary; when the broken node is picked, the healthy one must stand in.
        await using var network = await TestNetwork.StartAsync(settings: "--Infera:Jobs:Redundancy=1");
        var brokenAgent = await network.AddAgentAsync(new OllamaBackend(Networks.Http(broken.BaseAddress)));
        await network.AddAgentAsync(new OllamaBackend(Networks.Http(healthy.BaseAddress)));
        broken.FailNextRequests = int.MaxValue; // from now on its backend answers every chat with HTTP 500

        JobView? replaced = null;
        for (var i = 0; i < 20 && replaced is null; i++)
        {
            var result = await network.ChatClient(Networks.Model).CompleteChatAsync([new UserChatMessage($"Question {i}")]);
            Assert.That(result.Value.Content[0].Text, Is.Not.Empty);
            result.GetRawResponse().Headers.TryGetValue("x-infera-job-id", out var jobId);
            var job = await network.WaitForSettledJobAsync(jobId!);
            replaced = job.Assignments.Any(a => a.Node == brokenAgent.Address) ? job : null;
        }

        Assert.That(replaced, Is.Not.Null, "the broken node was never picked in 20 jobs");
        var lost = replaced!.Assignments.Single(a => a.Node == brokenAgent.Address);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(replaced.Status, Is.EqualTo(JobStatuses.Completed));
            Assert.That(lost.Status, Is.EqualTo(AssignmentStatuses.Failed));
            Assert.That(lost.Error, Is.Not.Empty);
            Assert.That(replaced.Assignments.Single(a => a.Replaces == lost.Id).Status, Is.EqualTo(AssignmentStatuses.Completed));
        }
    }

    [Test]
    public async Task A_node_lost_after_tokens_were_sent_with_no_replica_to_continue_ends_the_stream_with_an_error_event()
    {
        await using var network = await TestNetwork.StartAsync(settings: "--Infera:Jobs:Redundancy=1");
        var agent = await network.AddAgentAsync(new SimulatedBackend(
            new SimulatedBackendOptions { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 20 }, TimeProvider.System));
        using var response = await Sse.PostStreamAsync(
            network.Http, "{\"model\":\"simulated-llama-3.2-1b\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Go on and on.\"}]}");
        var events = new List<string>();
        await foreach (var data in Sse.ReadDataAsync(response).WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token))
        {
            events.Add(data);
            if (events.Count == 3)
            {
                agent.Kill();
            }
        }

        using var last = JsonDocument.Parse(events[^1]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(events, Has.Count.GreaterThanOrEqualTo(3));
            Assert.That(events, Does.Not.Contain("[DONE]"));
            Assert.That(last.RootElement.GetProperty("error").GetProperty("code").GetString(), Is.EqualTo("node_failure"));
            Assert.That(last.RootElement.GetProperty("error").GetProperty("message").GetString(), Does.Contain("mid-stream"));
        }
    }
}
