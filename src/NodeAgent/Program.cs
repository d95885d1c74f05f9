using System.CommandLine;
using Infera.NodeAgent;

return await AgentCommandLine.Build().Parse(args).InvokeAsync();
