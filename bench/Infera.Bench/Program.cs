using System.CommandLine;
using Infera.Bench;
using Infera.Bench.Backend;
using Infera.Bench.Hosting;

var quick = new Option<bool>("--quick") { Description = "A reduced run for checking the harness (also BENCH_QUICK=1)." };
var results = new Option<string?>("--results") { Description = "Folder for the raw results (default bench/.results)." };
var modes = new Option<string?>("--modes") { Description = "e2e: only these ways, e.g. CD (A always runs)." };
var levels = new Option<string?>("--levels") { Description = "e2e: only these concurrency levels, e.g. 1,64." };
var streams = new Option<int?>("--streams") { Description = "e2e: streams per level instead of the defaults (e.g. a longer phase for a profiler)." };
var links = new Option<string?>("--links") { Description = "connections: only these link counts, e.g. 1000,10000." };
var suites = new Option<string?>("--suites") { Description = "micro: only these suites, e.g. SqliteStore,Verifier (the micro results then hold only these)." };
var output = new Option<string?>("--out") { Description = "Where to write the report (default docs/BENCHMARKS.md; bench/.results/BENCHMARKS.quick.md for a reduced run)." };

var root = new RootCommand("Infera benchmarks. The documented way to run them is bench/run.sh.")
{
    Part("e2e", "Part 1: the same streams direct, through nginx, and through the network with k = 1 and k = 3.", (run, ct) => run.EndToEndAsync(ct)),
    Part("micro", "Part 2: BenchmarkDotNet micro-benchmarks of the scheduler, verifier, SSE writer, signatures and SQLite store.", (run, ct) => Task.FromResult(run.Micro())),
    Part("connections", "Part 3: 1,000 and 10,000 light agents on one silo: memory per link, CPU per heartbeat.", (run, ct) => run.ConnectionsAsync(ct)),
    Part("report", "Writes the report from the raw results already in the results folder.", (run, ct) => Task.FromResult(run.Report())),
    Part("all", "Every part, then the report.", (run, ct) => run.AllAsync(ct)),
    BackendCommand(),
    AgentCommand(),
};

return await root.Parse(args).InvokeAsync();

Command Part(string name, string description, Func<BenchRun, CancellationToken, Task<int>> action)
{
    var command = new Command(name, description) { quick, results, output, modes, levels, links, streams, suites };
    command.SetAction((parse, ct) =>
    {
        var isQuick = parse.GetValue(quick) || Environment.GetEnvironmentVariable("BENCH_QUICK") == "1";
        var run = new BenchRun(isQuick, parse.GetValue(results), parse.GetValue(output))
        {
            Modes = parse.GetValue(modes),
            Levels = Numbers(parse.GetValue(levels)),
            Links = Numbers(parse.GetValue(links)),
            Suites = parse.GetValue(suites)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            Streams = parse.GetValue(streams),
        };
        return action(run, ct);
    });
    return command;
}

static int[]? Numbers(string? list) =>
    list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(n => int.Parse(n, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

static Command AgentCommand()
{
    var silo = new Option<string>("--silo") { Required = true };
    var backendUrl = new Option<string>("--backend-url") { Required = true };
    var model = new Option<string>("--model") { DefaultValueFactory = _ => BackendOptions.Default.Model };
    var concurrency = new Option<int>("--max-concurrency") { DefaultValueFactory = _ => 600 };
    var command = new Command("agent", "A node agent on the OpenAI-compatible adapter (e2e starts it when infera-node cannot be).") { silo, backendUrl, model, concurrency };
    command.SetAction(async (parse, ct) =>
    {
        await AgentHost.RunAsync(new Uri(parse.GetValue(silo)!), new Uri(parse.GetValue(backendUrl)!), parse.GetValue(model)!, parse.GetValue(concurrency), ct);
        return 0;
    });
    return command;
}

static Command BackendCommand()
{
    var port = new Option<int>("--port") { Required = true };
    var model = new Option<string>("--model") { DefaultValueFactory = _ => BackendOptions.Default.Model };
    var ttft = new Option<double>("--ttft-ms") { DefaultValueFactory = _ => BackendOptions.Default.TimeToFirstToken.TotalMilliseconds };
    var speed = new Option<double>("--tokens-per-second") { DefaultValueFactory = _ => BackendOptions.Default.TokensPerSecond };
    var tokens = new Option<int>("--tokens") { DefaultValueFactory = _ => BackendOptions.Default.TokensPerCompletion };
    var command = new Command("backend", "The simulated OpenAI-compatible backend (started by e2e as its own process).") { port, model, ttft, speed, tokens };
    command.SetAction(async (parse, ct) =>
    {
        var options = new BackendOptions(parse.GetValue(model)!, TimeSpan.FromMilliseconds(parse.GetValue(ttft)), parse.GetValue(speed), parse.GetValue(tokens));
        await SimulatedOpenAiServer.RunAsync(parse.GetValue(port), options, ct);
        return 0;
    });
    return command;
}
