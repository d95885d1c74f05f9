namespace Infera.Bench.Hosting;

/// <summary>Where the repository and the built programs the benchmark starts are.</summary>
internal static class BenchPaths
{
    /// <summary>The folder holding Infera.sln, found by walking up from this program.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The build configuration this program was built in; the programs it starts come from the same one.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Release";

    /// <summary>This program, for starting the simulated backend as its own process.</summary>
    public static string BenchDll { get; } = typeof(BenchPaths).Assembly.Location;

    public static string EmbeddedDll => Built("src/Embedded", "infera.dll");

    public static string NodeAgentDll => Built("src/NodeAgent", "infera-node.dll");

    private static string Built(string project, string dll)
    {
        var path = Path.Combine(RepoRoot, project, "bin", Configuration, "net10.0", dll);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is missing; build first: dotnet build Infera.sln -c {Configuration} (bench/run.sh does).", path);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Infera.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
