using System.Diagnostics;

namespace Infera.Bench.Hosting;

/// <summary>
/// A program the benchmark starts (the simulated backend, the embedded host, node agents, nginx). Its output goes to
/// a log file; its CPU time and memory are read from /proc, so each process is accounted for on its own.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Task _pumps;

    private ChildProcess(Process process, StreamWriter log, string name, string logFile)
    {
        _process = process;
        _log = log;
        Name = name;
        LogFile = logFile;
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
    }

    public string Name { get; }

    public string LogFile { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Extra environment for one kind of child, from a variable such as <c>INFERA_BENCH_HOST_ENV="DOTNET_TieredPGO=0;X=1"</c>:
    /// for trying a runtime setting on the network's processes without touching the client or the backend.
    /// </summary>
    public static Dictionary<string, string> ExtraEnvironment(string variable) =>
        (Environment.GetEnvironmentVariable(variable) ?? string.Empty)
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);

    /// <summary>Runs <c>dotnet <paramref name="dll"/> args</c>; the dll runs inside that very process.</summary>
    public static ChildProcess StartDotnet(string name, string dll, IEnumerable<string> args, string logFile, IReadOnlyDictionary<string, string>? environment = null) =>
        Start(name, "dotnet", [dll, .. args], logFile, environment);

    public static ChildProcess Start(string name, string fileName, IEnumerable<string> args, string logFile, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The children are measured alone: they must not inherit settings meant for this process.
        info.Environment.Remove("DOTNET_gcServer");
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logFile))!);
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        return new ChildProcess(process, log, name, logFile);
    }

    /// <summary>User plus system CPU time of the process and, when asked, of its children (nginx's workers).</summary>
    public TimeSpan CpuTime(bool includeChildren = false)
    {
        var total = ProcStats.CpuTime(Id);
        if (includeChildren)
        {
            foreach (var child in ProcStats.ChildrenOf(Id))
            {
                total += ProcStats.CpuTime(child);
            }
        }

        return total;
    }

    public long ResidentBytes() => ProcStats.ResidentBytes(Id);

    /// <summary>The first line the process wrote (after it exited: usually why).</summary>
    public string FirstLogLine()
    {
        lock (_log)
        {
            _log.Flush();
        }

        using var reader = new StreamReader(new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return reader.ReadLine() ?? "(no output)";
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // exited meanwhile
        }

        _pumps.Wait(2000);
        _log.Dispose();
        _process.Dispose();
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_log)
            {
                _log.WriteLine(line);
            }
        }
    }
}
