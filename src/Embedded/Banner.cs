using System.Text;

namespace Infera.Embedded;

/// <summary>What the embedded network prints once it is ready: where it is, the key, and a curl that works as pasted.</summary>
internal static class Banner
{
    public static string Render(Uri address, string apiKey, int agents, string backend, IReadOnlyList<string> models)
    {
        var root = address.ToString().TrimEnd('/');
        var model = models.Count > 0 ? models[0] : "<model>";
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine($"Infera embedded network listening on {root}");
        if (agents > 0)
        {
            text.AppendLine($"  agents:  {agents}, backend: {backend}");
            text.AppendLine($"  models:  {string.Join(", ", models)}");
        }
        else
        {
            text.AppendLine("  agents:  none local; connect one with:");
            text.AppendLine($"    dotnet run --project src/NodeAgent -- run --silo {address.ToString().TrimEnd('/')} --backend simulated --key-file node.key");
        }

        text.AppendLine($"  API key: {apiKey}");
        text.AppendLine();
        text.AppendLine("Stream a completion (the x-infera-job-id header names the job):");
        text.AppendLine($"  curl -iN {root}/v1/chat/completions -H 'Authorization: Bearer {apiKey}' -H 'Content-Type: application/json' \\");
        text.AppendLine($"    -d '{{\"model\":\"{model}\",\"stream\":true,\"messages\":[{{\"role\":\"user\",\"content\":\"Hello, network!\"}}]}}'");
        text.AppendLine("Then see every node's output and the verdict:");
        text.AppendLine($"  curl -s {root}/v1/jobs/<job-id> -H 'Authorization: Bearer {apiKey}'");
        text.AppendLine();
        return text.ToString();
    }
}
