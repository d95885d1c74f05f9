using System.Data.Common;
using Infera.Jobs;
using Microsoft.AspNetCore.Http;

namespace Infera.Gateway.OpenAi;

/// <summary>
/// A store or bus that cannot be reached makes a request fail at once with 503 and an OpenAI error object, which
/// clients know to retry, rather than a 500.
/// </summary>
internal sealed class UnavailableFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (ex is DbException or ServiceUnavailableException or TimeoutException && !context.HttpContext.Response.HasStarted)
        {
            var message = ex is ServiceUnavailableException ? ex.Message : "The network's store cannot be reached now; retry shortly.";
            return TypedResults.Json(
                new OpenAiErrorResponse(new OpenAiError(message, "server_error", null, "unavailable")),
                GatewayJsonContext.Default.OpenAiErrorResponse,
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
