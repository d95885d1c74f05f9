using System.CommandLine;
using Infera.Simulation;

var root = new RootCommand("Infera simulations: the real grains in one process, no servers.") { AdversariesCommand.Create() };
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    await Console.Error.WriteLineAsync($"infera-sim: {parsed.Errors[0].Message} (see infera-sim --help)");
    return 2;
}

return await parsed.InvokeAsync();
