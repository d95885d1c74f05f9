using Infera.NodeLink;

namespace Infera.NodeAgent;

/// <summary>How an agent connects and how much work it takes.</summary>
public sealed class AgentOptions
{
    /// <summary>Silo URLs (ws://, wss://, http:// or https://); tried in turn when one fails, each node starting at its own place.</summary>
    public IReadOnlyList<Uri> Silos { get; set; } = [];

    /// <summary>Models to offer; empty offers everything the backend has.</summary>
    public IReadOnlyList<string> Models { get; set; } = [];

    /// <summary>The operator account this node belongs to, if linked (see <c>infera-node operator-link</c>).</summary>
    public string? Operator { get; set; }

    /// <summary>The operator's public key and signature linking this node, as hex.</summary>
    public string? OperatorLink { get; set; }

    /// <summary>Jobs run at once. Default 4.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>First reconnect delay; doubles per failed attempt up to <see cref="MaxReconnectDelay"/>. Default 0.5 s.</summary>
    public TimeSpan MinReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Default 30 s.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What the agent says about its machine.</summary>
    public HardwareInfo Hardware { get; set; } = new(
        Gpu: null,
        VramMb: null,
        CpuCores: Environment.ProcessorCount,
        RamMb: GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024));

    /// <summary>The node-link address of a silo URL: ws(s) scheme, and the node-link path when none is given.</summary>
    public static Uri NodeLinkUri(Uri silo)
    {
        var builder = new UriBuilder(silo)
        {
            Scheme = silo.Scheme switch
            {
                "http" or "ws" => "ws",
                "https" or "wss" => "wss",
                _ => throw new ArgumentException($"'{silo}' is not a ws://, wss://, http:// or https:// URL.", nameof(silo)),
            },
        };
        if (builder.Path is "" or "/")
        {
            builder.Path = NodeLinkProtocol.Path;
        }

        return builder.Uri;
    }
}
