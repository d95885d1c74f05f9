using System.Globalization;

namespace Infera.Bench.Report;

/// <summary>Numbers as the report prints them (invariant culture).</summary>
internal static class Format
{
    public static string Ms(double value) => double.IsNaN(value) ? "–" : value.ToString("F2", CultureInfo.InvariantCulture);

    public static string Us(double? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "–";

    public static string Ratio(double a, double b) => b > 0 && !double.IsNaN(a) ? (a / b).ToString("F2", CultureInfo.InvariantCulture) : "–";

    public static string Number(double value, int decimals = 1) => value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string MiB(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture) + " MiB";

    /// <summary>Nanoseconds in the unit that reads best.</summary>
    public static string Duration(double ns) => ns switch
    {
        < 1_000 => ns.ToString("F1", CultureInfo.InvariantCulture) + " ns",
        < 1_000_000 => (ns / 1_000).ToString("F2", CultureInfo.InvariantCulture) + " µs",
        _ => (ns / 1_000_000).ToString("F2", CultureInfo.InvariantCulture) + " ms",
    };

    public static string Bytes(long? bytes) => bytes switch
    {
        null => "–",
        < 10_000 => bytes.Value.ToString("N0", CultureInfo.InvariantCulture) + " B",
        _ => (bytes.Value / 1024.0).ToString("N1", CultureInfo.InvariantCulture) + " KiB",
    };
}
