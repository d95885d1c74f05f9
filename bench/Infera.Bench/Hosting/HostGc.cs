using System.Text.Json;

namespace Infera.Bench.Hosting;

/// <summary>The garbage collector a host runs with: its runtimeconfig.json's choice, unless the environment overrides it.</summary>
internal static class HostGc
{
    public static string Describe(string dll, IReadOnlyDictionary<string, string> environment)
    {
        var runtimeConfig = Path.ChangeExtension(dll, ".runtimeconfig.json");
        using var json = JsonDocument.Parse(File.ReadAllText(runtimeConfig));
        var properties = json.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var found) ? found : default;
        var server = Setting(properties, "System.GC.Server", environment, "DOTNET_gcServer") ?? false;
        var concurrent = Setting(properties, "System.GC.Concurrent", environment, "DOTNET_gcConcurrent") ?? true;
        var mode = (server ? "server GC" : "workstation GC") + (concurrent ? ", concurrent" : ", not concurrent");
        var overridden = environment.Keys.Any(key => key is "DOTNET_gcServer" or "DOTNET_gcConcurrent");
        return $"{mode} ({(overridden ? "set by INFERA_BENCH_HOST_ENV" : $"the host's default, from {Path.GetFileName(runtimeConfig)}")})";
    }

    private static bool? Setting(JsonElement properties, string property, IReadOnlyDictionary<string, string> environment, string variable)
    {
        if (environment.TryGetValue(variable, out var value))
        {
            return value is "1" or "true";
        }

        return properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property, out var setting) ? setting.GetBoolean() : null;
    }
}
