using System.Text.Json.Nodes;
using Infera.Verification;

namespace Infera.EndToEndTests.Fakes;

/// <summary>What a fake server needs from an embedding request; Ollama's /api/embed and OpenAI's /v1/embeddings agree on it.</summary>
public sealed record FakeEmbeddingRequest(string? Model, IReadOnlyList<string> Input)
{
    /// <summary>Length of the fake model's vectors; unlike the silo's own lexical embedder (1024), so tests can tell which answered.</summary>
    public const int Dimensions = 256;

    private static readonly LexicalEmbedder FakeModel = new(Dimensions);

    /// <summary>"input" is a string or an array of strings.</summary>
    public static FakeEmbeddingRequest Parse(JsonNode body) => new(body["model"]?.GetValue<string>(), body["input"] switch
    {
        null => throw new InvalidOperationException("\"input\" is required."),
        JsonArray items => [.. items.Select(i => i!.GetValue<string>())],
        var single => [single.GetValue<string>()],
    });

    /// <summary>One vector per input: the lexical embedder's, so texts that say the same thing land close together, as a real model's would.</summary>
    public IReadOnlyList<float[]> Embed() => [.. Input.Select(FakeModel.Embed)];

    /// <summary>A rough token count for the usage fields.</summary>
    public int Tokens() => Input.Sum(text => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);

    public static JsonArray ToJson(float[] vector) => [.. vector.Select(v => (JsonNode?)JsonValue.Create(v))];
}
