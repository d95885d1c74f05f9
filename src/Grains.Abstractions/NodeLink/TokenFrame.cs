using System.Text.Json;

namespace Infera.NodeLink;

/// <summary>
/// Reads the commonest frame, a token, without the polymorphic serializer: a silo reads one per token per replica, and
/// the general path buffers the object to find its <c>type</c> wherever it is. Anything else, or a token frame with
/// any other shape (an extra or repeated field, a non-string value), is left to the general path, which owns the
/// protocol's errors.
/// </summary>
internal static class TokenFrame
{
    public static TokenChunk? TryRead(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            bool isToken = false;
            string? assignmentId = null;
            string? text = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    if (isToken || !reader.Read() || reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals("token"u8))
                    {
                        return null;
                    }

                    isToken = true;
                }
                else if (reader.ValueTextEquals("assignment_id"u8))
                {
                    if (assignmentId is not null || !reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        return null;
                    }

                    assignmentId = reader.GetString();
                }
                else if (reader.ValueTextEquals("text"u8))
                {
                    if (text is not null || !reader.Read() || reader.TokenType != JsonTokenType.String)
                    {
                        return null;
                    }

                    text = reader.GetString();
                }
                else
                {
                    return null;
                }
            }

            return isToken && assignmentId is not null && text is not null && reader.TokenType == JsonTokenType.EndObject && !reader.Read()
                ? new TokenChunk(assignmentId, text)
                : null;
        }
        catch (JsonException)
        {
            return null; // malformed: the general path reports it
        }
    }
}
