using Infera.EndToEndTests.Fakes;
using Infera.Jobs;
using Infera.NodeAgent.Backends;

namespace Infera.EndToEndTests.Backends;

public sealed class BackendAgreementTests
{
    private const string Model = "simulated-llama-3.2-1b";

    [Test]
    public async Task Ollama_openai_and_simulated_backends_give_identical_text_for_the_same_model_prompt_and_seed()
    {
        await using var ollama = await FakeOllamaServer.StartAsync(Model);
        await using var openAi = await FakeOpenAiServer.StartAsync(Model);
        using var ollamaClient = new HttpClient { BaseAddress = ollama.BaseAddress };
        using var openAiClient = new HttpClient { BaseAddress = openAi.BaseAddress };
        var simulated = new SimulatedBackend(
            new SimulatedBackendOptions { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = double.PositiveInfinity },
            TimeProvider.System);
        var request = new BackendRequest(
            Model,
            [new ChatMessage("system", "Be brief."), new ChatMessage("user", "Name three uses of a lighthouse.")],
            new SamplingParameters(40, 0.7, null, 1234, ["zzz"]));

        var viaOllama = await Chunks.CollectAsync(new OllamaBackend(ollamaClient), request);
        var viaOpenAi = await Chunks.CollectAsync(new OpenAiCompatibleBackend(openAiClient), request);
        var viaSimulator = await Chunks.CollectAsync(simulated, request);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Chunks.Text(viaOllama), Is.Not.Empty);
            Assert.That(Chunks.Text(viaOpenAi), Is.EqualTo(Chunks.Text(viaOllama)));
            Assert.That(Chunks.Text(viaSimulator), Is.EqualTo(Chunks.Text(viaOllama)));
            Assert.That(viaOpenAi[^1], Is.EqualTo(viaOllama[^1]));
            Assert.That(viaSimulator[^1], Is.EqualTo(viaOllama[^1]));
        }
    }
}
