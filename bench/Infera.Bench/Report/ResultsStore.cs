using System.Text.Json;

namespace Infera.Bench.Report;

/// <summary>The raw results of each part as JSON files in one folder; the report is built from them.</summary>
internal sealed class ResultsStore(string directory)
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public string Directory { get; } = System.IO.Directory.CreateDirectory(directory).FullName;

    /// <summary>Logs of the processes a part started.</summary>
    public string WorkDirectory(string part)
    {
        var path = Path.Combine(Directory, "work", part);
        if (System.IO.Directory.Exists(path))
        {
            System.IO.Directory.Delete(path, recursive: true);
        }

        return System.IO.Directory.CreateDirectory(path).FullName;
    }

    public void Write<T>(string name, T value)
    {
        File.WriteAllText(Path.Combine(Directory, name + ".json"), JsonSerializer.Serialize(value, Options));
        File.Delete(Path.Combine(Directory, name + ".error.txt"));
    }

    public T? Read<T>(string name)
        where T : class
    {
        var path = Path.Combine(Directory, name + ".json");
        return File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options) : null;
    }

    /// <summary>Records that a part failed, so the report says so instead of showing stale figures.</summary>
    public void WriteError(string name, Exception error)
    {
        File.Delete(Path.Combine(Directory, name + ".json"));
        File.WriteAllText(Path.Combine(Directory, name + ".error.txt"), error.ToString());
    }

    public string? ReadError(string name)
    {
        var path = Path.Combine(Directory, name + ".error.txt");
        return File.Exists(path) ? File.ReadAllLines(path).FirstOrDefault() : null;
    }
}
