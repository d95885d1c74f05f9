using System.Text.Json.Serialization;
using Infera.Jobs;
using Microsoft.AspNetCore.Http;

namespace Infera.Gateway.OpenAi;

/// <summary>OpenAI's error object: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public sealed record OpenAiError(
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("param")] string? Param,
    [property: JsonPropertyName("code")] string? Code)
{
    public static OpenAiError InvalidRequest(string message, string? param = null, string? code = null) =>
        new(message, "invalid_request_error", param, code);

    /// <summary>The HTTP status and error object for a job that failed before its answer began.</summary>
    public static (int Status, OpenAiError Error) ForJob(JobError error) => error.Code switch
    {
        JobErrorCode.ModelNotFound => (StatusCodes.Status404NotFound, new OpenAiError(error.Message, "invalid_request_error", "model", "model_not_found")),
        JobErrorCode.NoCapacity => (StatusCodes.Status503ServiceUnavailable, new OpenAiError(error.Message, "server_error", null, "no_capacity")),
        JobErrorCode.NodeFailure => (StatusCodes.Status502BadGateway, new OpenAiError(error.Message, "server_error", null, "node_failure")),
        JobErrorCode.Timeout => (StatusCodes.Status504GatewayTimeout, new OpenAiError(error.Message, "server_error", null, "timeout")),
        JobErrorCode.Unavailable => (StatusCodes.Status503ServiceUnavailable, new OpenAiError(error.Message, "server_error", null, "unavailable")),
        JobErrorCode.Cancelled => (StatusCodes.Status503ServiceUnavailable, new OpenAiError(error.Message, "server_error", null, "cancelled")),
        _ => (StatusCodes.Status500InternalServerError, new OpenAiError(error.Message, "server_error", null, "internal_error")),
    };
}

/// <summary>The envelope that carries an <see cref="OpenAiError"/>.</summary>
public sealed record OpenAiErrorResponse([property: JsonPropertyName("error")] OpenAiError Error);
