using System.Text;
using Infera.NodeAgent.Backends;

namespace Infera.UnitTests.NodeAgent;

public sealed class SseReaderTests
{
    [Test]
    public async Task Events_end_at_blank_lines_and_comments_and_other_fields_are_ignored()
    {
        var body = ": keep-alive\n\nevent: message\nid: 7\ndata: {\"a\":1}\nretry: 10\n\ndata: [DONE]\n\n";

        Assert.That(await Read(body), Is.EqualTo(new[] { "{\"a\":1}", "[DONE]" }));
    }

    [Test]
    public async Task CRLF_and_bare_CR_line_endings_are_both_understood()
    {
        Assert.That(await Read("data: one\r\n\r\ndata: two\r\rdata: three\n\n"), Is.EqualTo(new[] { "one", "two", "three" }));
    }

    [Test]
    public async Task Several_data_lines_join_with_newlines_and_only_one_leading_space_is_dropped()
    {
        Assert.That(await Read("data:first\ndata:  second\ndata\n\n"), Is.EqualTo(new[] { "first\n second\n" }));
    }

    [Test]
    public async Task An_event_cut_off_by_the_end_of_the_body_is_discarded()
    {
        Assert.That(await Read("data: whole\n\ndata: {\"cut"), Is.EqualTo(new[] { "whole" }));
    }

    [Test]
    public async Task A_byte_order_mark_at_the_start_is_skipped()
    {
        Assert.That(await Read("\uFEFFdata: x\n\n"), Is.EqualTo(new[] { "x" }));
    }

    private static async Task<List<string>> Read(string body)
    {
        using var stream = new MemoryStream(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(body));
        var events = new List<string>();
        await foreach (var data in SseReader.ReadDataAsync(stream, new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token))
        {
            events.Add(data);
        }

        return events;
    }
}
