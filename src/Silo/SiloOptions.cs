namespace Infera.Silo;

/// <summary>The silo's own settings. Section <c>Infera:Silo</c>.</summary>
public sealed class SiloOptions
{
    /// <summary>This silo's name in handshakes and logs. Default: the host name and a random suffix.</summary>
    public string SiloId { get; set; } = $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>How often agents heartbeat. Default 15 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A node silent this long is offline. Default 90 s.</summary>
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>How long an agent has to answer the challenge. Default 10 s.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
