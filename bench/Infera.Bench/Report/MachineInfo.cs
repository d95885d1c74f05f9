using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Infera.Bench.Report;

/// <summary>The machine and software a run happened on, taken when the run starts.</summary>
internal sealed record MachineInfo(string CpuModel, int Cpus, string Memory, string Os, string Runtime, string Sdk, string LoadAverage, DateTimeOffset StartedAt)
{
    public static MachineInfo Collect()
    {
        var lscpu = Run("lscpu", string.Empty);
        string? Field(string name) => lscpu.Split('\n')
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2 && p[0].Trim() == name)
            .Select(p => p[1].Trim())
            .FirstOrDefault();

        var cpus = int.TryParse(Field("CPU(s)"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : Environment.ProcessorCount;
        var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var memory = string.Create(CultureInfo.InvariantCulture, $"{long.Parse(memKb, CultureInfo.InvariantCulture) / 1048576.0:F1} GiB");
        var sockets = Field("Socket(s)");
        var cores = Field("Core(s) per socket");
        var model = Field("Model name") ?? "unknown CPU";
        if (Field("Hypervisor vendor") is { } hypervisor)
        {
            model += $" ({hypervisor} virtual machine)";
        }

        return new MachineInfo(
            model + (cores is null ? string.Empty : $", {sockets ?? "1"} socket(s) x {cores} core(s)"),
            cpus,
            memory,
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            Run("dotnet", "--version").Trim(),
            File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Aggregate((a, b) => a + " " + b),
            DateTimeOffset.UtcNow);
    }

    private static string Run(string file, string args)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, UseShellExecute = false })!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(10_000);
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return string.Empty;
        }
    }
}
