using System.Text.Json;
using Infera.Gateway.OpenAi;
using Infera.Jobs;

namespace Infera.UnitTests.Gateway;

public sealed class ChatCompletionRequestTests
{
    private const string User = """{"role":"user","content":"Hi"}""";

    private static OpenAiError? Read(string json, out ChatCompletionRequest? request)
    {
        using var document = JsonDocument.Parse(json);
        return ChatCompletionRequest.Read(document.RootElement, out request);
    }

    private static ChatCompletionRequest Valid(string json)
    {
        var error = Read(json, out var request);
        Assert.That(error, Is.Null, () => $"the body should be valid, but: {error!.Message}");
        return request!;
    }

    [TestCase("""{"messages":[User]}""", "model", TestName = "Missing model is refused")]
    [TestCase("""{"model":"","messages":[User]}""", "model", TestName = "Empty model is refused")]
    [TestCase("""{"model":7,"messages":[User]}""", "model", TestName = "Numeric model is refused")]
    [TestCase("""{"model":"llama3"}""", "messages", TestName = "Missing messages are refused")]
    [TestCase("""{"model":"llama3","messages":[]}""", "messages", TestName = "Empty messages are refused")]
    [TestCase("""{"model":"llama3","messages":"Hi"}""", "messages", TestName = "Messages that are not an array are refused")]
    [TestCase("""{"model":"llama3","messages":[{"role":"wizard","content":"Hi"}]}""", "messages[0].role", TestName = "Unknown role is refused")]
    [TestCase("""{"model":"llama3","messages":[User,{"content":"Hi"}]}""", "messages[1].role", TestName = "Message without role is refused at its index")]
    [TestCase("""{"model":"llama3","messages":[{"role":"user"}]}""", "messages[0].content", TestName = "User message without content is refused")]
    [TestCase("""{"model":"llama3","messages":[{"role":"user","content":7}]}""", "messages[0].content", TestName = "Numeric content is refused")]
    [TestCase("""{"model":"llama3","messages":[{"role":"user","content":[{"type":"text","text":"Look"},{"type":"image_url","image_url":{"url":"https://x/y.png"}}]}]}""", "messages[0].content[1]", TestName = "Image content part is refused")]
    [TestCase("""{"model":"llama3","messages":[{"role":"user","content":["Hi"]}]}""", "messages[0].content[0]", TestName = "Content part without a type is refused")]
    [TestCase("""{"model":"llama3","messages":[User],"max_tokens":0}""", "max_tokens", TestName = "Zero max_tokens is refused")]
    [TestCase("""{"model":"llama3","messages":[User],"max_tokens":"ten"}""", "max_tokens", TestName = "Textual max_tokens is refused")]
    [TestCase("""{"model":"llama3","messages":[User],"max_tokens":1.5}""", "max_tokens", TestName = "Fractional max_tokens is refused")]
    [TestCase("""{"model":"llama3","messages":[User],"max_completion_tokens":0}""", "max_completion_tokens", TestName = "Zero max_completion_tokens is refused")]
    [TestCase("""{"model":"llama3","messages":[User],"temperature":3}""", "temperature", TestName = "Temperature above 2 is refused")]
    [TestCase("""{"model":"llama3","messages":[User],"temperature":-0.1}""", "temperature", TestName = "Negative temperature is refused")]
    [TestCase("""{"model":"llama3","messages":[User],"top_p":1.5}""", "top_p", TestName = "Top_p above 1 is refused")]
    [TestCase("""{"model":"llama3","messages":[User],"n":2}""", "n", TestName = "More than one choice is refused")]
    [TestCase("""{"model":"llama3","messages":[User],"stop":["a","b","c","d","e"]}""", "stop", TestName = "Five stop sequences are refused")]
    [TestCase("""{"model":"llama3","messages":[User],"stop":[""]}""", "stop", TestName = "Empty stop sequence is refused")]
    [TestCase("""{"model":"llama3","messages":[User],"stop":7}""", "stop", TestName = "Numeric stop is refused")]
    [TestCase("""{"model":"llama3","messages":[User],"stream":"yes"}""", "stream", TestName = "Textual stream flag is refused")]
    [TestCase("""{"model":"llama3","messages":[User],"stream_options":{"include_usage":true}}""", "stream_options", TestName = "Stream options without stream are refused")]
    [TestCase("""{"model":"llama3","messages":[User],"stream":false,"stream_options":{"include_usage":true}}""", "stream_options", TestName = "Stream options with stream false are refused")]
    [TestCase("""{"model":"llama3","messages":[User],"stream":true,"stream_options":{"include_usage":"yes"}}""", "stream_options.include_usage", TestName = "Textual include_usage is refused")]
    public void Invalid_body_is_refused_naming_its_param(string json, string param)
    {
        var error = Read(json.Replace("User", User, StringComparison.Ordinal), out var request);

        Assert.That(error, Is.Not.Null, "the body should be refused");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Param, Is.EqualTo(param));
            Assert.That(error.Type, Is.EqualTo("invalid_request_error"));
            Assert.That(error.Message, Is.Not.Empty);
            Assert.That(request, Is.Null);
        }
    }

    [TestCase("[]")]
    [TestCase("\"llama3\"")]
    public void Body_that_is_not_an_object_is_refused(string json)
    {
        Assert.That(Read(json, out _), Is.Not.Null.And.Property(nameof(OpenAiError.Param)).Null);
    }

    [Test]
    public void Complete_body_is_read_into_the_request()
    {
        var request = Valid("""
            {
              "model": "llama3",
              "messages": [
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": [{"type": "text", "text": "What is "}, {"type": "text", "text": "2+2?"}]},
                {"role": "assistant", "content": null, "tool_calls": []},
                {"role": "user", "content": "Well?"}
              ],
              "max_tokens": 100,
              "temperature": 0.2,
              "top_p": 0.9,
              "seed": 1234567890123,
              "stop": "\n\n",
              "n": 1,
              "stream": true,
              "stream_options": {"include_usage": true}
            }
            """);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(request.Model, Is.EqualTo("llama3"));
            Assert.That(request.Messages, Is.EqualTo(new[]
            {
                new ChatMessage("system", "Be brief."),
                new ChatMessage("user", "What is 2+2?"),
                new ChatMessage("assistant", string.Empty),
                new ChatMessage("user", "Well?"),
            }));
            Assert.That(request.MaxTokens, Is.EqualTo(100));
            Assert.That(request.Temperature, Is.EqualTo(0.2));
            Assert.That(request.TopP, Is.EqualTo(0.9));
            Assert.That(request.Seed, Is.EqualTo(1234567890123));
            Assert.That(request.Stop, Is.EqualTo(new[] { "\n\n" }));
            Assert.That(request.Stream, Is.True);
            Assert.That(request.IncludeUsage, Is.True);
        }
    }

    [Test]
    public void Minimal_body_leaves_every_option_unset()
    {
        var request = Valid($$"""{"model":"llama3","messages":[{{User}}]}""");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(request.MaxTokens, Is.Null);
            Assert.That(request.Temperature, Is.Null);
            Assert.That(request.TopP, Is.Null);
            Assert.That(request.Seed, Is.Null);
            Assert.That(request.Stop, Is.Null);
            Assert.That(request.Stream, Is.False);
            Assert.That(request.IncludeUsage, Is.False);
        }
    }

    [Test]
    public void Max_completion_tokens_wins_over_max_tokens()
    {
        var request = Valid($$"""{"model":"llama3","messages":[{{User}}],"max_tokens":500,"max_completion_tokens":20}""");

        Assert.That(request.MaxTokens, Is.EqualTo(20));
    }

    [Test]
    public void Unknown_fields_are_ignored()
    {
        var request = Valid($$"""
            {"model":"llama3","messages":[{{User}}],"user":"u-1","logit_bias":{"50256":-100},"response_format":{"type":"text"},"metadata":null}
            """);

        Assert.That(request.Model, Is.EqualTo("llama3"));
    }

    [Test]
    public void Explicit_nulls_count_as_absent()
    {
        var request = Valid($$"""
            {"model":"llama3","messages":[{{User}}],"max_tokens":null,"temperature":null,"stop":null,"stream":null,"stream_options":null}
            """);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(request.MaxTokens, Is.Null);
            Assert.That(request.Stream, Is.False);
        }
    }

    [Test]
    public void Stop_array_of_up_to_four_sequences_is_kept_in_order()
    {
        var request = Valid($$"""{"model":"llama3","messages":[{{User}}],"stop":["a","b","c","d"]}""");

        Assert.That(request.Stop, Is.EqualTo(new[] { "a", "b", "c", "d" }));
    }
}
