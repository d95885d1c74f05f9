using System.CommandLine;
using Infera.Embedded;

var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
var agents = new Option<int>("--agents") { Description = "Local node agents to start (0 allowed).", DefaultValueFactory = _ => 3 };
var data = new Option<string>("--data") { Description = "Folder for the SQLite file and agent keys.", DefaultValueFactory = _ => ".data" };
var simulated = new Option<bool>("--simulated") { Description = "Use the simulated backend even if Ollama answers." };
var tokensPerSecond = new Option<double>("--sim-tokens-per-second") { Description = "Speed of the simulated backend.", DefaultValueFactory = _ => 200 };
var firstTokenMs = new Option<int>("--sim-ttft-ms") { Description = "Time to first token of the simulated backend.", DefaultValueFactory = _ => 50 };

var root = new RootCommand("Infera embedded network: Silo and Gateway in one process, with local node agents.")
{
    urls, agents, data, simulated, tokensPerSecond, firstTokenMs, KeysCommand.Create(data),
};
root.TreatUnmatchedTokensAsErrors = false; // extra --Infera:Section:Key=value pairs go to configuration
root.SetAction(async (result, cancellationToken) =>
{
    var options = new EmbeddedOptions
    {
        Urls = result.GetValue(urls)!,
        Agents = result.GetValue(agents),
        DataDirectory = result.GetValue(data)!,
        ForceSimulated = result.GetValue(simulated),
        SimulatedTokensPerSecond = result.GetValue(tokensPerSecond),
        SimulatedTimeToFirstToken = TimeSpan.FromMilliseconds(result.GetValue(firstTokenMs)),
    };
    if (options.Agents < 0 || options.SimulatedTokensPerSecond <= 0 || options.SimulatedTimeToFirstToken < TimeSpan.Zero)
    {
        await Console.Error.WriteLineAsync("infera: --agents must be >= 0, --sim-tokens-per-second > 0 and --sim-ttft-ms >= 0.");
        return 2;
    }

    await using var app = EmbeddedNetwork.Build(options, [.. result.UnmatchedTokens]);
    await app.RunAsync(cancellationToken);
    return 0;
});

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    await Console.Error.WriteLineAsync($"infera: {parsed.Errors[0].Message} (see infera --help)");
    return 2;
}

return await parsed.InvokeAsync();
