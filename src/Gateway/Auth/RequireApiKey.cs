using Infera.Gateway.OpenAi;
using Infera.Storage;
using Microsoft.AspNetCore.Http;

namespace Infera.Gateway.Auth;

/// <summary>An endpoint filter: the request must carry <c>Authorization: Bearer &lt;key&gt;</c> with a known key.</summary>
internal sealed class RequireApiKey(ApiKeyAuthenticator authenticator) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header.Length <= 7)
        {
            return Unauthorized("You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).");
        }

        var key = header[7..].Trim();
        var record = await authenticator.AuthenticateAsync(key, http.RequestAborted);
        if (record is null)
        {
            return Unauthorized($"Incorrect API key provided: {Infera.Identity.ApiKeys.Display(key)}.");
        }

        http.Items[typeof(ApiKeyRecord)] = record;
        return await next(context);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<OpenAiErrorResponse> Unauthorized(string message) =>
        TypedResults.Json(new OpenAiErrorResponse(OpenAiError.InvalidRequest(message, code: "invalid_api_key")), GatewayJsonContext.Default.OpenAiErrorResponse, statusCode: StatusCodes.Status401Unauthorized);
}

internal static class CallerExtensions
{
    /// <summary>The tenant of the authenticated key; only endpoints behind <see cref="RequireApiKey"/> may ask.</summary>
    public static string Tenant(this HttpContext context) =>
        ((ApiKeyRecord)context.Items[typeof(ApiKeyRecord)]!).Tenant;
}
