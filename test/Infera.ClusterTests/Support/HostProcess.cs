using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Infera.ClusterTests.Support;

/// <summary>
/// A silo or gateway as its own process (<c>dotnet infera-silo.dll</c>), on a loopback port of its own. What it
/// prints is kept, so a failing test can show it.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(string name, Process process, Uri url)
    {
        Name = name;
        _process = process;
        Url = url;
    }

    public string Name { get; }

    public Uri Url { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static HostProcess Start(string name, string assembly, IReadOnlyDictionary<string, string> environment)
    {
        var port = FreePort();
        var url = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet", [HostPath(assembly), "--urls", url.ToString().TrimEnd('/')])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {assembly}.");
        var host = new HostProcess(name, process, url);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Runs a host's command line (e.g. <c>infera-gateway keys create</c>) to its end.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunCommandAsync(
        string assembly, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet", [HostPath(assembly), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {assembly}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var wait = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(wait.Token);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Waits until <c>/readyz</c> answers 200 (store and bus reachable).</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"{Name} exited with code {_process.ExitCode} before it was ready:\n{Output}");
            }

            if (await ReadyzAsync() == 200)
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"{Name} was not ready within {timeout.TotalSeconds:F0} s:\n{Output}");
    }

    /// <summary>What <c>/readyz</c> answers now: its status code, or 0 when nothing answers (not listening yet, or hung for 5 s).</summary>
    public async Task<int> ReadyzAsync()
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(Url, "/readyz"));
            return (int)response.StatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return 0;
        }
    }

    /// <summary>Kills the process at once (SIGKILL): no drain, no goodbye, as a crashed pod.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>Asks the process to stop (SIGTERM), as Kubernetes does, and waits for it.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(wait.Token);
        return _process.ExitCode;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The host's own build output, next to this test's (same configuration and framework).</summary>
    private static string HostPath(string assembly)
    {
        var testOutput = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(testOutput);
        var configuration = Path.GetFileName(Path.GetDirectoryName(testOutput)!);
        var root = new DirectoryInfo(testOutput);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Infera.sln")))
        {
            root = root.Parent;
        }

        var project = assembly switch
        {
            "infera-silo" => "SiloHost",
            "infera-gateway" => "GatewayHost",
            _ => throw new ArgumentException($"Unknown host {assembly}.", nameof(assembly)),
        };
        var path = Path.Combine(root?.FullName ?? ".", "src", project, "bin", configuration, framework, assembly + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build the solution first: {path} is missing.", path);
    }
}
