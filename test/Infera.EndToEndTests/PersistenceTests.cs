using Infera.EndToEndTests.Support;
using Infera.Identity;
using Infera.Jobs;
using Infera.NodeAgent.Backends;
using OpenAI.Chat;

namespace Infera.EndToEndTests;

public sealed class PersistenceTests
{
    [Test]
    public async Task A_finished_job_is_still_readable_after_the_process_restarts()
    {
        var directory = Path.Combine(Path.GetTempPath(), "infera-restart-" + Guid.NewGuid().ToString("N"));
        var key = ApiKeys.Generate();
        try
        {
            JobView before;
            await using (var first = await TestNetwork.StartAsync(directory, key))
            {
                for (var i = 0; i < 3; i++)
                {
                    await first.AddAgentAsync(new SimulatedBackend(new SimulatedBackendOptions(), TimeProvider.System));
                }

                var result = await first.ChatClient("simulated-llama-3.2-1b").CompleteChatAsync([new UserChatMessage("Remember me.")]);
                result.GetRawResponse().Headers.TryGetValue("x-infera-job-id", out var jobId);
                before = await first.WaitForSettledJobAsync(jobId!);
            }

            await using var second = await TestNetwork.StartAsync(directory, key);
            var after = await second.GetJobAsync(before.Id);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(after.Status, Is.EqualTo(JobStatuses.Completed));
                Assert.That(after.Assignments.Select(a => (a.Id, a.Node, a.Role, a.Status, a.Output)), Is.EqualTo(before.Assignments.Select(a => (a.Id, a.Node, a.Role, a.Status, a.Output))));
                Assert.That(after.Verification!.Status, Is.EqualTo(before.Verification!.Status));
                Assert.That(after.Verification.Verdicts, Is.EqualTo(before.Verification.Verdicts));
                Assert.That(after.Usage, Is.EqualTo(before.Usage));
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
