using System.CommandLine;
using Infera.NodeAgent.Backends;
using Microsoft.Extensions.Logging;

namespace Infera.NodeAgent;

/// <summary>
/// <c>infera-node run</c> and <c>infera-node address</c>. Bad arguments exit with 2 and one line saying why;
/// a failure at run time exits with 1.
/// </summary>
internal static class AgentCommandLine
{
    public static RootCommand Build()
    {
        var keyFile = new Option<string>("--key-file") { Description = "The node's private key; created with mode 0600 if missing.", DefaultValueFactory = _ => "node.key" };
        var root = new RootCommand("Infera node agent: runs inference jobs from the network on a local backend.") { Run(keyFile), Address(keyFile), OperatorLink() };
        return root;
    }

    private static Command Run(Option<string> keyFile)
    {
        var silo = new Option<string[]>("--silo") { Description = "Silo URL (repeat for several; they are tried in turn).", Required = true, Arity = ArgumentArity.OneOrMore };
        var backend = new Option<string>("--backend") { Description = "ollama, openai (vLLM, SGLang, llama.cpp, MAX) or simulated.", DefaultValueFactory = _ => "ollama" };
        backend.AcceptOnlyFromAmong("ollama", "openai", "simulated");
        var backendUrl = new Option<Uri?>("--backend-url") { Description = "The backend's URL. Default: Ollama's http://localhost:11434." };
        var model = new Option<string[]>("--model") { Description = "A model to offer (repeatable). Default: all the backend has; for simulated, the names it serves." };
        var concurrency = new Option<int>("--max-concurrency") { Description = "Jobs run at once.", DefaultValueFactory = _ => 4 };
        var apiKeyVariable = new Option<string>("--backend-api-key-env") { Description = "Environment variable holding the OpenAI-compatible server's API key.", DefaultValueFactory = _ => "INFERA_BACKEND_API_KEY" };
        var ttft = new Option<int>("--sim-ttft-ms") { Description = "Simulated time to first token.", DefaultValueFactory = _ => 50 };
        var speed = new Option<double>("--sim-tokens-per-second") { Description = "Simulated generation speed.", DefaultValueFactory = _ => 200 };
        var operatorAddress = new Option<string?>("--operator") { Description = "The operator account this node belongs to (with --operator-link)." };
        var operatorLink = new Option<string?>("--operator-link") { Description = "The link printed by `infera-node operator-link` for this node." };
        var run = new Command("run", "Connect to the network and run jobs.") { silo, backend, backendUrl, model, concurrency, keyFile, apiKeyVariable, ttft, speed, operatorAddress, operatorLink };
        run.SetAction(async (result, cancellationToken) =>
        {
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information));
            var logger = loggers.CreateLogger<NodeAgent>();
            AgentOptions options;
            IInferenceBackend inference;
            try
            {
                options = new AgentOptions
                {
                    Silos = [.. result.GetValue(silo)!.Select(s => AgentOptions.NodeLinkUri(new Uri(s)))],
                    Models = result.GetValue(model) ?? [],
                    MaxConcurrency = result.GetValue(concurrency) is var n and >= 1 and <= 4096 ? n : throw new ArgumentException("--max-concurrency must be between 1 and 4096."),
                    Operator = result.GetValue(operatorAddress),
                    OperatorLink = result.GetValue(operatorLink),
                };
                if ((options.Operator is null) != (options.OperatorLink is null))
                {
                    throw new ArgumentException("--operator and --operator-link go together.");
                }
                inference = result.GetValue(backend) switch
                {
                    "simulated" => new SimulatedBackend(
                        new SimulatedBackendOptions
                        {
                            Models = options.Models.Count > 0 ? options.Models : new SimulatedBackendOptions().Models,
                            TimeToFirstToken = TimeSpan.FromMilliseconds(result.GetValue(ttft)),
                            TokensPerSecond = result.GetValue(speed),
                        },
                        TimeProvider.System),
                    "openai" => new OpenAiCompatibleBackend(
                        Http(result.GetValue(backendUrl) ?? throw new ArgumentException("--backend openai needs --backend-url (e.g. http://127.0.0.1:8000).")),
                        Environment.GetEnvironmentVariable(result.GetValue(apiKeyVariable)!)),
                    _ => new OllamaBackend(Http(result.GetValue(backendUrl) ?? OllamaBackend.DefaultAddress)),
                };
            }
            catch (Exception ex) when (ex is ArgumentException or UriFormatException)
            {
                await Console.Error.WriteLineAsync($"infera-node: {ex.Message}");
                return 2;
            }

            var path = result.GetValue(keyFile)!;
            var identity = LoadKey(path);
            if (identity is null)
            {
                return 1;
            }

            using (identity)
            {
                var agent = new NodeAgent(inference, identity, options, TimeProvider.System, logger);
                await agent.RunAsync(cancellationToken);
            }

            return 0;
        });
        return run;
    }

    private static Command Address(Option<string> keyFile)
    {
        var address = new Command("address", "Print the node's address (creating its key if missing).") { keyFile };
        address.SetAction(async (result, cancellationToken) =>
        {
            using var identity = LoadKey(result.GetValue(keyFile)!);
            if (identity is null)
            {
                return 1;
            }

            await Console.Out.WriteLineAsync(identity.Address.Value);
            return 0;
        });
        return address;
    }

    private static Command OperatorLink()
    {
        var operatorKey = new Option<string>("--operator-key-file") { Description = "The operator's private key (kept offline, not on the node).", Required = true };
        var node = new Option<string>("--node") { Description = "The node's address (from `infera-node address`).", Required = true };
        var link = new Command("operator-link", "Sign, as an operator, the link that ties a node to your account.") { operatorKey, node };
        link.SetAction(async (result, cancellationToken) =>
        {
            if (!Identity.NodeAddress.TryParse(result.GetValue(node), out var nodeAddress))
            {
                await Console.Error.WriteLineAsync("infera-node: --node is not an Ethereum address.");
                return 2;
            }

            using var identity = LoadKey(result.GetValue(operatorKey)!);
            if (identity is null)
            {
                return 1;
            }

            var signature = identity.SignMessage(NodeLink.NodeLinkProtocol.OperatorLinkText(nodeAddress));
            await Console.Out.WriteLineAsync($"--operator {identity.Address} --operator-link {Convert.ToHexStringLower([.. identity.PublicKey, .. signature])}");
            return 0;
        });
        return link;
    }

    private static Identity.NodeIdentity? LoadKey(string path)
    {
        try
        {
            var identity = KeyFile.LoadOrCreate(path, out var created);
            if (created)
            {
                Console.Error.WriteLine($"Created a new node key in {path} (mode 0600). Back it up: it is this node's identity.");
            }
            else if (KeyFile.IsExposed(path))
            {
                Console.Error.WriteLine($"warning: key file {path} is readable by other users; run: chmod 600 {path}");
            }

            return identity;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            Console.Error.WriteLine($"infera-node: cannot use key file {path}: {ex.Message}");
            return null;
        }
    }

    private static HttpClient Http(Uri baseAddress) => new() { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
}
