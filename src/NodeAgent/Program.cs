using Infera.NodeAgent;

var parsed = AgentCommandLine.Build().Parse(args);
if (parsed.Errors.Count > 0)
{
    // One line and exit code 2 for bad arguments; --help shows the rest.
    await Console.Error.WriteLineAsync($"infera-node: {parsed.Errors[0].Message} (see infera-node --help)");
    return 2;
}

return await parsed.InvokeAsync();
