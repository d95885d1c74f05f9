using System.Globalization;
using System.Text;
using System.Text.Json;
using Infera.Jobs;

namespace Infera.Gateway.OpenAi;

/// <summary>A validated <c>POST /v1/chat/completions</c> body.</summary>
public sealed record ChatCompletionRequest(
    string Model,
    IReadOnlyList<ChatMessage> Messages,
    int? MaxTokens,
    double? Temperature,
    double? TopP,
    long? Seed,
    IReadOnlyList<string>? Stop,
    bool Stream,
    bool IncludeUsage)
{
    private static readonly string[] Roles = ["system", "developer", "user", "assistant", "tool"];

    /// <summary>
    /// Reads the body the way OpenAI's API does: unknown fields are ignored, known ones are checked, and the first
    /// problem found is returned, naming its <c>param</c>. Null means <paramref name="request"/> is valid.
    /// </summary>
    public static OpenAiError? Read(JsonElement body, out ChatCompletionRequest? request)
    {
        request = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            return OpenAiError.InvalidRequest("The request body must be a JSON object.");
        }

        if (!body.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || model.GetString()!.Length == 0)
        {
            return OpenAiError.InvalidRequest("You must provide a model parameter.", "model");
        }

        if (!body.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return OpenAiError.InvalidRequest("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
        }

        if (messages.GetArrayLength() == 0)
        {
            return OpenAiError.InvalidRequest("Invalid 'messages': empty array. Expected an array with minimum length 1.", "messages", "empty_array");
        }

        var chat = new List<ChatMessage>(messages.GetArrayLength());
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (ParseMessage(message, index++, out var parsed) is { } problem)
            {
                return problem;
            }

            chat.Add(parsed!);
        }

        if (Integer(body, "max_completion_tokens", 1, int.MaxValue, out var maxCompletion) is { } e1) return e1;
        if (Integer(body, "max_tokens", 1, int.MaxValue, out var maxTokens) is { } e2) return e2;
        if (Number(body, "temperature", 0, 2, out var temperature) is { } e3) return e3;
        if (Number(body, "top_p", 0, 1, out var topP) is { } e4) return e4;
        if (Integer(body, "seed", long.MinValue, long.MaxValue, out var seed) is { } e5) return e5;
        if (Integer(body, "n", 1, 1, out _) is { } e6)
        {
            return e6 with { Message = "Only n = 1 is supported: each job returns one choice." };
        }

        if (ParseStop(body, out var stop) is { } e7) return e7;
        if (Boolean(body, "stream", out var stream) is { } e8) return e8;

        var includeUsage = false;
        if (body.TryGetProperty("stream_options", out var options) && options.ValueKind != JsonValueKind.Null)
        {
            if (stream != true)
            {
                return OpenAiError.InvalidRequest("The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options");
            }

            if (options.ValueKind != JsonValueKind.Object)
            {
                return OpenAiError.InvalidRequest("Invalid type for 'stream_options': expected an object.", "stream_options", "invalid_type");
            }

            if (Boolean(options, "include_usage", out var usage, "stream_options.") is { } e9) return e9;
            includeUsage = usage == true;
        }

        request = new ChatCompletionRequest(
            model.GetString()!, chat, (int?)(maxCompletion ?? maxTokens), temperature, topP, seed, stop, stream == true, includeUsage);
        return null;
    }

    private static OpenAiError? ParseMessage(JsonElement message, int index, out ChatMessage? parsed)
    {
        parsed = null;
        var param = $"messages[{index}]";
        if (message.ValueKind != JsonValueKind.Object)
        {
            return OpenAiError.InvalidRequest($"Invalid type for '{param}': expected an object.", param, "invalid_type");
        }

        if (!message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
        {
            return OpenAiError.InvalidRequest($"Missing required parameter: '{param}.role'.", $"{param}.role", "missing_required_parameter");
        }

        var roleName = role.GetString()!;
        if (!Roles.Contains(roleName, StringComparer.Ordinal))
        {
            return OpenAiError.InvalidRequest(
                $"Invalid value: '{roleName}'. Supported values are: {string.Join(", ", Roles.Select(r => $"'{r}'"))}.", $"{param}.role", "invalid_value");
        }

        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            // An assistant turn that only called tools has no content; every other turn must have some.
            if (roleName == "assistant")
            {
                parsed = new ChatMessage(roleName, string.Empty);
                return null;
            }

            return OpenAiError.InvalidRequest($"Missing required parameter: '{param}.content'.", $"{param}.content", "missing_required_parameter");
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            parsed = new ChatMessage(roleName, content.GetString()!);
            return null;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return OpenAiError.InvalidRequest($"Invalid type for '{param}.content': expected a string or an array of content parts.", $"{param}.content", "invalid_type");
        }

        var text = new StringBuilder();
        var part = 0;
        foreach (var item in content.EnumerateArray())
        {
            var partParam = $"{param}.content[{part++}]";
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return OpenAiError.InvalidRequest($"Invalid content part '{partParam}': expected an object with a 'type'.", partParam, "invalid_type");
            }

            if (type.GetString() != "text" || !item.TryGetProperty("text", out var partText) || partText.ValueKind != JsonValueKind.String)
            {
                return OpenAiError.InvalidRequest(
                    $"Unsupported content part '{partParam}' of type '{type.GetString()}': only text parts are supported.", partParam, "unsupported_content");
            }

            text.Append(partText.GetString());
        }

        parsed = new ChatMessage(roleName, text.ToString());
        return null;
    }

    private static OpenAiError? ParseStop(JsonElement body, out IReadOnlyList<string>? stop)
    {
        stop = null;
        if (!body.TryGetProperty("stop", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            stop = value.GetString()!.Length == 0 ? null : [value.GetString()!];
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > 4
            || value.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String || s.GetString()!.Length == 0))
        {
            return OpenAiError.InvalidRequest("Invalid 'stop': expected a string or an array of up to 4 non-empty strings.", "stop", "invalid_value");
        }

        stop = [.. value.EnumerateArray().Select(s => s.GetString()!)];
        return null;
    }

    private static OpenAiError? Integer(JsonElement body, string name, long min, long max, out long? value)
    {
        value = null;
        if (!body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var number))
        {
            return OpenAiError.InvalidRequest($"Invalid type for '{name}': expected an integer.", name, "invalid_type");
        }

        if (number < min || number > max)
        {
            return OpenAiError.InvalidRequest(
                string.Create(CultureInfo.InvariantCulture, $"Invalid '{name}': {number} is out of range; expected {min} to {max}."), name, "invalid_value");
        }

        value = number;
        return null;
    }

    private static OpenAiError? Number(JsonElement body, string name, double min, double max, out double? value)
    {
        value = null;
        if (!body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number)
        {
            return OpenAiError.InvalidRequest($"Invalid type for '{name}': expected a number.", name, "invalid_type");
        }

        var number = element.GetDouble();
        if (number < min || number > max)
        {
            return OpenAiError.InvalidRequest(
                string.Create(CultureInfo.InvariantCulture, $"Invalid '{name}': {number} is out of range; expected {min} to {max}."), name, "invalid_value");
        }

        value = number;
        return null;
    }

    private static OpenAiError? Boolean(JsonElement body, string name, out bool? value, string prefix = "")
    {
        value = null;
        if (!body.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return OpenAiError.InvalidRequest($"Invalid type for '{prefix}{name}': expected a boolean.", prefix + name, "invalid_type");
        }

        value = element.GetBoolean();
        return null;
    }
}
