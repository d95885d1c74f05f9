using System.Net;
using System.Net.Sockets;
using Infera.EndToEndTests.Support;
using Infera.Identity;
using Infera.NodeAgent.Backends;
using OpenAI.Chat;

namespace Infera.EndToEndTests;

/// <summary>A silo that goes away and comes back: its agents find it again by themselves.</summary>
public sealed class ReconnectTests
{
    [Test]
    public async Task An_agent_reconnects_when_its_silo_restarts_and_serves_jobs_again()
    {
        var directory = Path.Combine(Path.GetTempPath(), "infera-reconnect-" + Guid.NewGuid().ToString("N"));
        var urls = $"http://127.0.0.1:{FreePort()}";
        var key = ApiKeys.Generate();
        TestAgent? agent = null;
        try
        {
            await using (var first = await TestNetwork.StartAsync(urls, directory, key))
            {
                agent = TestAgent.Start(new SimulatedBackend(new SimulatedBackendOptions(), TimeProvider.System), first.BaseAddress, maxConcurrency: 8);
                await agent.WaitConnectedAsync();
            }

            // The silo is gone; the agent keeps trying with backoff until one answers on the same address.
            await using var second = await TestNetwork.StartAsync(urls, directory, key, "--Infera:Jobs:Redundancy=1");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (agent.Connections < 2 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }

            Assert.That(agent.Connections, Is.EqualTo(2), "the agent did not reconnect within 20 s of the silo's restart");
            var result = await second.ChatClient("simulated-llama-3.2-1b").CompleteChatAsync([new UserChatMessage("Are you back?")]);
            Assert.That(result.Value.Content[0].Text, Is.Not.Empty);
        }
        finally
        {
            if (agent is not null)
            {
                await agent.DisposeAsync();
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
