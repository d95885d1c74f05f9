using System.Globalization;
using System.Text;

namespace Infera.ServiceDefaults.Metrics;

/// <summary>
/// Writes metric streams in the Prometheus text exposition format 0.0.4: per family one <c># HELP</c> and one
/// <c># TYPE</c> line, then its samples; histograms as cumulative <c>_bucket</c> lines with <c>le</c>, <c>_sum</c> and
/// <c>_count</c>. See https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format.
/// </summary>
internal static class PrometheusTextWriter
{
    public static string Write(IEnumerable<MetricStream> streams)
    {
        var text = new StringBuilder(8192);
        foreach (var family in streams.GroupBy(s => s.Name, StringComparer.Ordinal).OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            // Instruments of two meters may share a name; they are one family when they aggregate alike.
            var first = family.First();
            var members = family.Where(s => s.Kind == first.Kind && s.Bounds.AsSpan().SequenceEqual(first.Bounds)).ToList();
            if (first.Kind == MetricKind.Histogram)
            {
                WriteHistogram(text, first, members);
            }
            else
            {
                WriteValues(text, first, members);
            }
        }

        return text.ToString();
    }

    private static void WriteValues(StringBuilder text, MetricStream first, List<MetricStream> members)
    {
        // Series whose tags render alike (a tag given as int here and as long there) become one sample.
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var stream in members)
        {
            foreach (var series in Current(stream))
            {
                var labels = LabelsOf(series);
                if (values.TryGetValue(labels, out var sum))
                {
                    values[labels] = stream.LastValue ? series.Value : sum + series.Value;
                }
                else
                {
                    values[labels] = series.Value;
                    order.Add(labels);
                }
            }
        }

        if (order.Count == 0)
        {
            return;
        }

        WriteHeader(text, first.Name, first.Help, first.Kind == MetricKind.Counter ? "counter" : "gauge");
        foreach (var labels in order)
        {
            WriteSample(text, first.Name, labels, extraLabel: null, Number(values[labels]));
        }
    }

    private static void WriteHistogram(StringBuilder text, MetricStream first, List<MetricStream> members)
    {
        var bounds = first.Bounds;
        var totals = new Dictionary<string, HistogramTotals>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var series in members.SelectMany(Current))
        {
            var labels = LabelsOf(series);
            if (!totals.TryGetValue(labels, out var total))
            {
                totals[labels] = total = new HistogramTotals(bounds.Length + 1);
                order.Add(labels);
            }

            series.AddHistogramTo(total);
        }

        if (order.Count == 0)
        {
            return;
        }

        WriteHeader(text, first.Name, first.Help, "histogram");
        var bucketName = first.Name + "_bucket";
        foreach (var labels in order)
        {
            var total = totals[labels];
            var cumulative = 0L;
            for (var i = 0; i <= bounds.Length; i++)
            {
                cumulative += total.Buckets[i];
                var le = i < bounds.Length ? Number(bounds[i]) : "+Inf";
                WriteSample(text, bucketName, labels, $"le=\"{le}\"", cumulative.ToString(CultureInfo.InvariantCulture));
            }

            WriteSample(text, first.Name + "_sum", labels, extraLabel: null, Number(total.Sum));
            WriteSample(text, first.Name + "_count", labels, extraLabel: null, cumulative.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The series to write: all of them, or for an observed instrument those it reported this scrape.</summary>
    private static IEnumerable<Series> Current(MetricStream stream) =>
        stream.Observable ? stream.Series.Where(s => s.ObservedIn == stream.Collection) : stream.Series;

    private static void WriteHeader(StringBuilder text, string name, string help, string type)
    {
        text.Append("# HELP ").Append(name).Append(' ');
        AppendEscaped(text, help, escapeQuotes: false);
        text.Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    private static void WriteSample(StringBuilder text, string name, string labels, string? extraLabel, string value)
    {
        text.Append(name);
        if (labels.Length > 0 || extraLabel is not null)
        {
            text.Append('{').Append(labels);
            if (extraLabel is not null)
            {
                text.Append(labels.Length > 0 ? "," : string.Empty).Append(extraLabel);
            }

            text.Append('}');
        }

        text.Append(' ').Append(value).Append('\n');
    }

    private static string LabelsOf(Series series) => series.Labels ??= RenderLabels(series.Tags);

    /// <summary>
    /// <c>a="x",b="y"</c>, sorted by label name. Tags without a value are left out; tags whose names sanitize to the
    /// same label join their values with <c>;</c> in the order of the original names (OpenTelemetry's rule).
    /// </summary>
    internal static string RenderLabels(IEnumerable<KeyValuePair<string, object?>> tags)
    {
        var labels = tags
            .Where(t => t.Value is not null)
            .OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => (Name: PrometheusNames.LabelName(t.Key), Value: FormatValue(t.Value!)))
            .GroupBy(l => l.Name, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var label in labels)
        {
            text.Append(text.Length > 0 ? "," : string.Empty).Append(label.Key).Append("=\"");
            AppendEscaped(text, string.Join(';', label.Select(l => l.Value)), escapeQuotes: true);
            text.Append('"');
        }

        return text.ToString();
    }

    internal static string Number(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString(CultureInfo.InvariantCulture);

    private static string FormatValue(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>Label values escape backslash, double quote and newline; help text the same but quotes.</summary>
    private static void AppendEscaped(StringBuilder text, string value, bool escapeQuotes)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '\n' => text.Append(@"\n"),
                '"' when escapeQuotes => text.Append("\\\""),
                _ => text.Append(c),
            };
        }
    }
}
