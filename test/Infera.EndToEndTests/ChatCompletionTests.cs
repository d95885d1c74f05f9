using System.Net;
using System.Text;
using Infera.EndToEndTests.Support;
using Infera.Jobs;
using OpenAI.Chat;

namespace Infera.EndToEndTests;

/// <summary>The official OpenAI .NET client against the network: streaming, usage, the job record.</summary>
public sealed class ChatCompletionTests
{
    [Test]
    public async Task Official_client_streams_a_completion_with_usage_and_the_job_shows_three_agreeing_nodes()
    {
        var (network, ollama, openAi) = await Networks.WithThreeAdapterAgentsAsync();
        await using (network)
        await using (ollama)
        await using (openAi)
        {
            var client = network.ChatClient(Networks.Model);
            var text = new StringBuilder();
            ChatTokenUsage? usage = null;
            ChatFinishReason? finish = null;
            string? completionId = null;
            await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Tell me about the sea.")]))
            {
                completionId ??= update.CompletionId;
                foreach (var part in update.ContentUpdate)
                {
                    text.Append(part.Text);
                }

                usage ??= update.Usage;
                finish ??= update.FinishReason;
            }

            Assert.That(completionId, Is.Not.Null.And.StartsWith("job-"));
            var job = await network.WaitForSettledJobAsync(completionId!);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(text.ToString(), Is.Not.Empty);
                Assert.That(finish, Is.EqualTo(ChatFinishReason.Stop));
                Assert.That(usage, Is.Not.Null, "the client asks for usage when streaming; the usage chunk must come");
                Assert.That(usage!.OutputTokenCount, Is.GreaterThan(0));
                Assert.That(usage.TotalTokenCount, Is.EqualTo(usage.InputTokenCount + usage.OutputTokenCount));
                Assert.That(job.Status, Is.EqualTo(JobStatuses.Completed));
                Assert.That(job.Assignments, Has.Count.EqualTo(3));
                Assert.That(job.Assignments.Select(a => a.Node).Distinct().Count(), Is.EqualTo(3), "three distinct nodes");
                Assert.That(job.Assignments.Count(a => a.Role == AssignmentRoles.Primary), Is.EqualTo(1));
                Assert.That(job.Assignments.Select(a => a.Output), Is.All.EqualTo(text.ToString()), "every node's full output is recorded");
                Assert.That(job.Assignments.Select(a => a.TimeToFirstTokenMs), Is.All.Not.Null);
                Assert.That(job.Verification!.Status, Is.EqualTo(VerificationStatuses.Verified));
                Assert.That(job.Verification.Verdicts.Select(v => v.Verdict), Is.All.EqualTo(Verdicts.Agree));
                Assert.That(job.Verification.Similarities, Has.Count.EqualTo(3));
                Assert.That(job.Verification.Threshold, Is.EqualTo(0.8));
                Assert.That(job.Verification.ReturnedAssignment, Is.EqualTo(job.Assignments.Single(a => a.Role == AssignmentRoles.Primary).Id));
            }

            // Both wire formats were really spoken for the job (model listings at connect don't count).
            Assert.That(ollama.ChatRequestBodies, Has.Count.GreaterThanOrEqualTo(2));
            Assert.That(openAi.ChatRequestBodies, Is.Not.Empty);
        }
    }

    [Test]
    public async Task Official_client_gets_a_non_streamed_completion_with_real_usage_and_the_job_header()
    {
        var (network, ollama, openAi) = await Networks.WithThreeAdapterAgentsAsync();
        await using (network)
        await using (ollama)
        await using (openAi)
        {
            var result = await network.ChatClient(Networks.Model).CompleteChatAsync(
                [new SystemChatMessage("Be brief."), new UserChatMessage("Name a colour.")],
                new ChatCompletionOptions { MaxOutputTokenCount = 5 });
            var completion = result.Value;
            Assert.That(result.GetRawResponse().Headers.TryGetValue("x-infera-job-id", out var jobId), Is.True);
            var job = await network.WaitForSettledJobAsync(jobId!);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(completion.Id, Is.EqualTo(jobId));
                Assert.That(completion.FinishReason, Is.EqualTo(ChatFinishReason.Length), "max tokens cut the answer");
                Assert.That(completion.Usage.OutputTokenCount, Is.EqualTo(5));
                Assert.That(completion.Usage.InputTokenCount, Is.GreaterThan(0));
                Assert.That(completion.Content[0].Text, Is.EqualTo(job.Assignments.Single(a => a.Id == job.Verification!.ReturnedAssignment).Output));
                Assert.That(job.Usage!.CompletionTokens, Is.EqualTo(5));
            }
        }
    }

    [Test]
    public async Task Models_lists_what_live_nodes_serve()
    {
        var (network, ollama, openAi) = await Networks.WithThreeAdapterAgentsAsync();
        await using (network)
        await using (ollama)
        await using (openAi)
        {
            var body = await network.Http.GetStringAsync("/v1/models");
            using var json = System.Text.Json.JsonDocument.Parse(body);
            var data = json.RootElement.GetProperty("data");
            Assert.That(json.RootElement.GetProperty("object").GetString(), Is.EqualTo("list"));
            Assert.That(data.GetArrayLength(), Is.EqualTo(1));
            Assert.That(data[0].GetProperty("id").GetString(), Is.EqualTo(Networks.Model));
            Assert.That(data[0].GetProperty("infera").GetProperty("nodes").GetInt32(), Is.EqualTo(3));
        }
    }

    [Test]
    public async Task A_job_of_one_tenant_is_not_found_by_another()
    {
        var (network, ollama, openAi) = await Networks.WithThreeAdapterAgentsAsync();
        await using (network)
        await using (ollama)
        await using (openAi)
        {
            var result = await network.ChatClient(Networks.Model).CompleteChatAsync([new UserChatMessage("Hello")]);
            result.GetRawResponse().Headers.TryGetValue("x-infera-job-id", out var jobId);
            var otherKey = await network.CreateKeyAsync("tenant-b");
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{jobId}");
            request.Headers.Authorization = new("Bearer", otherKey);
            using var response = await network.Http.SendAsync(request);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("job_not_found"));
        }
    }
}
