using System.Text;
using Infera.NodeAgent.Backends;

namespace Infera.UnitTests.NodeAgent;

public sealed class NdjsonReaderTests
{
    [Test]
    public async Task Yields_each_json_line_and_skips_blank_ones_whatever_the_line_ending()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("{\"a\":1}\r\n\n{\"b\":2}\n  \n{\"c\":3}"));
        var lines = new List<string>();
        await foreach (var line in NdjsonReader.ReadLinesAsync(stream, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token))
        {
            lines.Add(line);
        }

        Assert.That(lines, Is.EqualTo(new[] { "{\"a\":1}", "{\"b\":2}", "{\"c\":3}" }));
    }
}
