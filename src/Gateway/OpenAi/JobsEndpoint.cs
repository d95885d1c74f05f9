using Infera.Gateway.Auth;
using Infera.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Infera.Gateway.OpenAi;

/// <summary><c>GET /v1/jobs/{id}</c>: a job of the caller's tenant, with every node's part and the verdict.</summary>
internal static class JobsEndpoint
{
    public static async Task<Results<Ok<JobView>, JsonHttpResult<OpenAiErrorResponse>>> HandleAsync(string id, HttpContext context, IJobService jobs)
    {
        // Another tenant's job is reported exactly like a missing one, so ids can't be probed.
        var job = id.Length <= 64 ? await jobs.GetAsync(id, context.Tenant(), context.RequestAborted) : null;
        return job is null
            ? TypedResults.Json(
                new OpenAiErrorResponse(OpenAiError.InvalidRequest($"No job found with id '{id}'.", "id", "job_not_found")),
                GatewayJsonContext.Default.OpenAiErrorResponse,
                statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(job);
    }
}
