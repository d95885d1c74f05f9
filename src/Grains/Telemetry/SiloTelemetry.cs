using System.Diagnostics;

namespace Infera.Telemetry;

/// <summary>The silo's telemetry names: one meter and one activity source, both "Infera.Silo".</summary>
public static class SiloTelemetry
{
    public const string Name = "Infera.Silo";

    /// <summary>Spans of the silo's work: one per job (<c>infera.job</c>), from acceptance to settlement.</summary>
    public static readonly ActivitySource ActivitySource = new(Name);
}
