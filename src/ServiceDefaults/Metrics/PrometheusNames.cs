using System.Text;

namespace Infera.ServiceDefaults.Metrics;

/// <summary>
/// OpenTelemetry names as Prometheus spells them, after OpenTelemetry's "Prometheus and OpenMetrics compatibility"
/// rules: invalid characters become <c>_</c>, the unit becomes a suffix (<c>s</c> → <c>_seconds</c>, <c>By</c> →
/// <c>_bytes</c>, <c>{request}</c> → nothing), and monotonic counters end in <c>_total</c>.
/// </summary>
internal static class PrometheusNames
{
    private static readonly Dictionary<string, string> Units = new(StringComparer.Ordinal)
    {
        ["d"] = "days", ["h"] = "hours", ["min"] = "minutes", ["s"] = "seconds", ["ms"] = "milliseconds",
        ["us"] = "microseconds", ["ns"] = "nanoseconds", ["By"] = "bytes", ["KiBy"] = "kibibytes", ["MiBy"] = "mebibytes",
        ["GiBy"] = "gibibytes", ["TiBy"] = "tibibytes", ["KBy"] = "kilobytes", ["MBy"] = "megabytes", ["GBy"] = "gigabytes",
        ["TBy"] = "terabytes", ["m"] = "meters", ["V"] = "volts", ["A"] = "amperes", ["J"] = "joules", ["W"] = "watts",
        ["g"] = "grams", ["Cel"] = "celsius", ["Hz"] = "hertz", ["%"] = "percent",
    };

    private static readonly Dictionary<string, string> PerUnits = new(StringComparer.Ordinal)
    {
        ["s"] = "second", ["m"] = "minute", ["h"] = "hour", ["d"] = "day", ["w"] = "week", ["mo"] = "month", ["y"] = "year",
    };

    /// <summary>The family name: <c>http.server.request.duration</c> in <c>s</c> → <c>http_server_request_duration_seconds</c>.</summary>
    public static string MetricName(string instrument, string? unit, MetricKind kind)
    {
        var name = Sanitize(instrument, allowColon: true);
        var counter = kind == MetricKind.Counter;
        if (counter && name.EndsWith("_total", StringComparison.Ordinal))
        {
            name = name[..^"_total".Length]; // the unit goes before it
        }

        var suffix = UnitSuffix(unit, kind);
        if (suffix.Length > 0 && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name += "_" + suffix;
        }

        return counter ? name + "_total" : name;
    }

    /// <summary>A tag name as a label name: <c>http.request.method</c> → <c>http_request_method</c>.</summary>
    /// <remarks>Runs of <c>_</c> collapse, so no label can take the <c>__</c> prefix Prometheus reserves.</remarks>
    public static string LabelName(string tag) => Sanitize(tag, allowColon: false);

    /// <summary>The unit as a name suffix, or empty: annotations in braces are dropped, <c>x/y</c> reads "x per y".</summary>
    public static string UnitSuffix(string? unit, MetricKind kind)
    {
        if (string.IsNullOrWhiteSpace(unit))
        {
            return string.Empty;
        }

        var bare = StripAnnotations(unit).Trim();
        if (bare.Length == 0)
        {
            return string.Empty;
        }

        if (bare == "1")
        {
            return kind == MetricKind.Gauge ? "ratio" : string.Empty;
        }

        var slash = bare.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return Sanitize(Units.GetValueOrDefault(bare, bare), allowColon: false).Trim('_');
        }

        var (over, per) = (bare[..slash], bare[(slash + 1)..]);
        var left = over.Length == 0 ? string.Empty : Units.GetValueOrDefault(over, over);
        var right = PerUnits.GetValueOrDefault(per, per);
        var text = left.Length == 0 ? "per_" + right : left + "_per_" + right;
        return Sanitize(text, allowColon: false).Trim('_');
    }

    private static string StripAnnotations(string unit)
    {
        if (!unit.Contains('{', StringComparison.Ordinal))
        {
            return unit;
        }

        var text = new StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    /// <summary>Only [a-zA-Z0-9_] (and <c>:</c> in metric names); runs of <c>_</c> collapse; no leading digit.</summary>
    private static string Sanitize(string text, bool allowColon)
    {
        var name = new StringBuilder(text.Length + 1);
        foreach (var c in text)
        {
            var valid = char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':');
            var next = valid ? c : '_';
            if (next == '_' && name.Length > 0 && name[^1] == '_')
            {
                continue;
            }

            name.Append(next);
        }

        if (name.Length == 0)
        {
            return "_";
        }

        if (char.IsAsciiDigit(name[0]))
        {
            name.Insert(0, allowColon ? "_" : "key_");
        }

        return name.ToString();
    }
}
