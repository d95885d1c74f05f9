namespace Infera.Embedded;

/// <summary>How the one-process network runs.</summary>
public sealed class EmbeddedOptions
{
    /// <summary>Where Kestrel listens. Default http://127.0.0.1:8080 (loopback only unless told otherwise).</summary>
    public string Urls { get; set; } = "http://127.0.0.1:8080";

    /// <summary>Folder for the SQLite file and the local agents' keys. Default <c>.data</c>.</summary>
    public string DataDirectory { get; set; } = ".data";

    /// <summary>Local agents to start. Default 3 (enough for one verified job).</summary>
    public int Agents { get; set; } = 3;

    /// <summary>Ollama to use for the local agents when it answers. Default http://localhost:11434.</summary>
    public Uri OllamaUrl { get; set; } = new("http://localhost:11434");

    /// <summary>Skip the Ollama probe and use the simulated backend.</summary>
    public bool ForceSimulated { get; set; }

    /// <summary>The simulated backend's time to first token. Default 50 ms.</summary>
    public TimeSpan SimulatedTimeToFirstToken { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>The simulated backend's speed. Default 200 tokens/s.</summary>
    public double SimulatedTokensPerSecond { get; set; } = 200;

    /// <summary>Print the banner with the API key and a curl command once the agents are connected.</summary>
    public bool PrintBanner { get; set; } = true;
}
