using System.Globalization;
using System.Text.RegularExpressions;

namespace Infera.EndToEndTests.Support;

/// <summary>Reads samples back from a Prometheus text exposition.</summary>
public static partial class Exposition
{
    /// <summary>The values of the samples named <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public static List<double> Values(string text, string name, params (string Label, string Value)[] labels)
    {
        var values = new List<double>();
        foreach (var line in text.Split('\n'))
        {
            var sample = SampleLine().Match(line);
            if (!sample.Success || sample.Groups["name"].Value != name)
            {
                continue;
            }

            var found = LabelPair().Matches(sample.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
            if (labels.All(l => found.TryGetValue(l.Label, out var v) && v == l.Value))
            {
                values.Add(double.Parse(sample.Groups["value"].Value.Replace("+Inf", "Infinity", StringComparison.Ordinal), CultureInfo.InvariantCulture));
            }
        }

        return values;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
