using System.Text;
using System.Text.Json;
using Infera.Identity;
using Infera.Jobs;
using Infera.NodeLink;

namespace Infera.UnitTests.NodeLink;

public sealed class NodeLinkProtocolTests
{
    private static IEnumerable<TestCaseData> EveryMessage()
    {
        yield return Case("challenge", new Challenge(1, "silo-1", "9f86d081"));
        yield return Case("hello", new Hello(
            "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf", "ab", "cd", 1_763_000_000_000, "1.0.0", "ollama", 4,
            [new ModelOffer("llama3"), new ModelOffer("sim-7b", Simulated: true)],
            new HardwareInfo("RTX 4090", 24_564, 16, 65_536)));
        yield return Case("welcome", new Welcome("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf", 5000));
        yield return Case("rejected", new Rejected("the signature does not prove the address"));
        yield return Case("heartbeat", new Heartbeat(2, [new ModelOffer("llama3")]));
        yield return Case("heartbeat", new Heartbeat(0));
        yield return Case("dispatch", new Dispatch(
            "job-1.1", "job-1", "llama3", [new ChatMessage("system", "Be brief."), new ChatMessage("user", "Hi")],
            new SamplingParameters(128, 0.7, 0.9, 42, ["\n\n"]), FlushMs: 250));
        yield return Case("cancel", new Cancel("job-1.1"));
        yield return Case("promote", new Promote("job-1.1"));
        yield return Case("token", new TokenChunk("job-1.1", "Hel\"lo\n ✓"));
        yield return Case("result", new AssignmentResult("job-1.1", "length", 12, 128));
        yield return Case("failed", new AssignmentFailed("job-1.1", "backend returned 500"));
        yield return Case("drain", new Drain("silo shutting down"));
    }

    private static TestCaseData Case(string type, NodeLinkMessage message) =>
        new TestCaseData(type, message).SetArgDisplayNames(type, message.GetType().Name);

    [TestCaseSource(nameof(EveryMessage))]
    public void Message_is_written_with_its_wire_type_name(string type, NodeLinkMessage message)
    {
        using var json = JsonDocument.Parse(NodeLinkProtocol.Serialize(message));

        Assert.That(json.RootElement.GetProperty("type").GetString(), Is.EqualTo(type));
    }

    [TestCaseSource(nameof(EveryMessage))]
    public void Message_survives_a_round_trip(string type, NodeLinkMessage message)
    {
        var read = NodeLinkProtocol.Deserialize(NodeLinkProtocol.Serialize(message));

        // Records compare lists by reference, so compare property by property.
        Assert.That(read, Is.EqualTo(message).UsingPropertiesComparer(), $"a '{type}' message");
    }

    [Test]
    public void Token_frame_written_by_another_implementation_is_read()
    {
        var frame = """{"type":"token","assignment_id":"job-1.2","text":"Paris"}"""u8;

        Assert.That(NodeLinkProtocol.Deserialize(frame), Is.EqualTo(new TokenChunk("job-1.2", "Paris")));
    }

    // Token frames take a fast path; these shapes must read exactly as the general deserializer reads them.
    [TestCase("""{"text":"Paris","assignment_id":"job-1.2","type":"token"}""", "job-1.2", "Paris")]
    [TestCase("""{ "type" : "token", "assignment_id" : "job-1.2", "text" : "a\"b\\c\n\u00e9\ud83d\ude00" } """, "job-1.2", "a\"b\\c\né😀")]
    [TestCase("""{"type":"token","assignment_id":"job-1.2","text":""}""", "job-1.2", "")]
    [TestCase("""{"type":"token","assignment_id":"job-1.2","text":"x","extra":{"ignored":[1,2]}}""", "job-1.2", "x")]
    public void Token_frame_of_any_valid_shape_is_read(string frame, string assignmentId, string text)
    {
        Assert.That(NodeLinkProtocol.Deserialize(Encoding.UTF8.GetBytes(frame)), Is.EqualTo(new TokenChunk(assignmentId, text)));
    }

    [TestCase("""{"type":"token","assignment_id":"job-1.2","text":"x"} trailing""")]
    [TestCase("""{"type":"token","assignment_id":"job-1.2","text":42}""")]
    [TestCase("""{"type":"token","assignment_id":"job-1.2","text":"x",}""")]
    public void Malformed_token_frame_is_a_json_error(string frame)
    {
        Assert.That(() => NodeLinkProtocol.Deserialize(Encoding.UTF8.GetBytes(frame)), Throws.InstanceOf<JsonException>());
    }

    [Test]
    public void Absent_optional_fields_are_left_out_of_the_frame()
    {
        var json = Encoding.UTF8.GetString(NodeLinkProtocol.Serialize(new Heartbeat(1)));

        Assert.That(json, Is.EqualTo("""{"type":"heartbeat","active_jobs":1}"""));
    }

    [TestCase("not json at all")]
    [TestCase("""{"type":"token","assignment_id":""")]
    [TestCase("null")]
    [TestCase("""{"type":"teleport","assignment_id":"job-1.1"}""")]
    [TestCase("""{"type":42}""")]
    [TestCase("""{"assignment_id":"job-1.1","text":"no type"}""")]
    [TestCase("[]")]
    [TestCase("")]
    public void Frame_that_is_not_a_known_message_is_a_json_error(string frame)
    {
        Assert.That(() => NodeLinkProtocol.Deserialize(Encoding.UTF8.GetBytes(frame)), Throws.InstanceOf<JsonException>());
    }

    [Test]
    public void The_type_field_may_come_anywhere_in_a_frame_as_peers_in_other_languages_write_it()
    {
        var message = NodeLinkProtocol.Deserialize(Encoding.UTF8.GetBytes("""{"assignment_id":"job-1.1","text":"late type","type":"token"}"""));

        Assert.That(message, Is.EqualTo(new TokenChunk("job-1.1", "late type")));
    }

    [Test]
    public void Handshake_text_is_the_exact_text_an_agent_signs()
    {
        var address = NodeAddress.Parse("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");

        var text = NodeLinkProtocol.HandshakeText("silo-eu-1", "c0ffee", address, 1_763_800_000_123);

        Assert.That(text, Is.EqualTo(
            "Infera node link v1\nsilo: silo-eu-1\nnonce: c0ffee\naddress: 0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf\nsigned_at: 1763800000123"));
    }

    [Test]
    public void Handshake_signed_for_one_nonce_does_not_verify_for_another()
    {
        using var node = NodeIdentity.Create();
        var signature = node.SignMessage(NodeLinkProtocol.HandshakeText("silo-1", "nonce-a", node.Address, 1000));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(PersonalMessage.Verify(NodeLinkProtocol.HandshakeText("silo-1", "nonce-a", node.Address, 1000), signature, node.PublicKey, node.Address), Is.True);
            Assert.That(PersonalMessage.Verify(NodeLinkProtocol.HandshakeText("silo-1", "nonce-b", node.Address, 1000), signature, node.PublicKey, node.Address), Is.False);
            Assert.That(PersonalMessage.Verify(NodeLinkProtocol.HandshakeText("silo-2", "nonce-a", node.Address, 1000), signature, node.PublicKey, node.Address), Is.False);
        }
    }
}
