using System.Diagnostics;

namespace Infera.Tests.Shared;

/// <summary>Prometheus' own linter, <c>promtool check metrics</c>, run on an exposition as a scraper would read it.</summary>
internal static class Promtool
{
    public const string Missing = "promtool is not installed: install the Debian package prometheus (apt-get install -y prometheus)";

    /// <summary>The exit code (0: valid and lint-clean) and what promtool said.</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition)
    {
        var path = Find();
        if (path is null)
        {
            Assert.Fail(Missing);
        }

        var start = new ProcessStartInfo(path!, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            process.Kill();
            Assert.Fail("promtool check metrics did not finish within 30 s");
        }

        return (process.ExitCode, (await stdout + await stderr).Trim());
    }

    private static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "promtool"))
            .FirstOrDefault(File.Exists);
}
