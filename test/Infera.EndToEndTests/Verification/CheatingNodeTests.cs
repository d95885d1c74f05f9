using System.Net.Http.Json;
using Infera.EndToEndTests.Fakes;
using Infera.EndToEndTests.Support;
using Infera.Network;
using Infera.NodeAgent.Backends;
using OpenAI.Chat;

namespace Infera.EndToEndTests.Verification;

/// <summary>A real agent whose backend gives wrong answers, among honest ones, over the real network.</summary>
public sealed class CheatingNodeTests
{
    [Test]
    public async Task A_node_serving_wrong_answers_is_slashed_and_ejected_while_honest_nodes_are_not()
    {
        await using var honest = await FakeOllamaServer.StartAsync(Networks.Model);
        await using var cheating = await FakeOllamaServer.StartAsync(Networks.Model);
        cheating.AnswerAsModel = "a-much-cheaper-model"; // claims llama3.2:1b, serves something else

        // No cooling-off, so the cheater keeps being picked and the test needs few jobs to see it ejected.
        await using var network = await TestNetwork.StartAsync(settings: ["--Infera:Trust:CoolingOff=00:00:00", "--Infera:Canaries:Enabled=false"]);
        var honestAgents = new List<TestAgent>();
        for (var i = 0; i < 3; i++)
        {
            honestAgents.Add(await network.AddAgentAsync(new OllamaBackend(Networks.Http(honest.BaseAddress))));
        }

        var cheater = await network.AddAgentAsync(new OllamaBackend(Networks.Http(cheating.BaseAddress)));
        var client = network.ChatClient(Networks.Model);

        NodeView? standing = null;
        for (var i = 0; i < 80; i++)
        {
            var result = await client.CompleteChatAsync([new UserChatMessage($"Question number {i}: tell me something true.")]);
            result.GetRawResponse().Headers.TryGetValue("x-infera-job-id", out var jobId);
            await network.WaitForSettledJobAsync(jobId!);
            standing = (await network.Http.GetFromJsonAsync<NodeDetailView>($"/v1/nodes/{cheater.Address}"))!.Node;
            if (standing.Status == NodeStatuses.Ejected)
            {
                break;
            }
        }

        var detail = (await network.Http.GetFromJsonAsync<NodeDetailView>($"/v1/nodes/{cheater.Address}"))!;
        var all = await network.Http.GetFromJsonAsync<System.Text.Json.JsonElement>("/v1/nodes");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(standing!.Status, Is.EqualTo(NodeStatuses.Ejected), $"the cheater is still {standing.Status} after 80 jobs");
            Assert.That(standing.Stake, Is.LessThan(100));
            Assert.That(standing.EjectedReason, Is.Not.Empty);
            Assert.That(detail.Ledger.Select(l => l.Kind), Does.Contain("slash").And.Contain("ejected"));
            Assert.That(detail.RecentVerdicts.Select(v => v.Verdict), Is.Not.Empty.And.All.EqualTo("disagree"));
            Assert.That(all.GetProperty("data").GetArrayLength(), Is.EqualTo(4));
        }

        foreach (var agent in honestAgents)
        {
            var node = (await network.Http.GetFromJsonAsync<NodeDetailView>($"/v1/nodes/{agent.Address}"))!.Node;
            Assert.That(node.Offences, Is.Zero, $"honest node {agent.Address} was slashed");
            Assert.That(node.Status, Is.EqualTo(NodeStatuses.Online));
            Assert.That(node.Points, Is.GreaterThan(0));
        }
    }
}
