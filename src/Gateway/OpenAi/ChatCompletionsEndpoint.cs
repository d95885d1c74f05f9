using System.Text.Json;
using Infera.Gateway.Auth;
using Infera.Gateway.Telemetry;
using Infera.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Infera.Gateway.OpenAi;

/// <summary><c>POST /v1/chat/completions</c>: validates, starts a job, and answers from the job's events.</summary>
internal static class ChatCompletionsEndpoint
{
    public const string JobIdHeader = "x-infera-job-id";

    public static async Task<Results<JsonHttpResult<OpenAiErrorResponse>, ChatCompletionResult>> HandleAsync(
        HttpContext context, IJobService jobs, TimeProvider clock)
    {
        var aborted = context.RequestAborted;
        var activity = GatewayTelemetry.StartChatCompletion(context);
        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(context.Request.Body, default, aborted);
        }
        catch (JsonException ex)
        {
            return Error(StatusCodes.Status400BadRequest, OpenAiError.InvalidRequest(
                $"We could not parse the JSON body of your request: {ex.Message} The OpenAI API expects a JSON payload."));
        }

        ChatCompletionRequest request;
        using (body)
        {
            if (ChatCompletionRequest.Read(body.RootElement, out var parsed) is { } invalid)
            {
                return Error(StatusCodes.Status400BadRequest, invalid);
            }

            request = parsed!;
        }

        // Every replica must sample alike; a client that gave no seed gets one drawn here and shared by all.
        var sampling = new SamplingParameters(request.MaxTokens, request.Temperature, request.TopP, request.Seed ?? Random.Shared.NextInt64(), request.Stop);
        JobStream job;
        try
        {
            job = await jobs.StartAsync(new JobRequest(context.Tenant(), request.Model, request.Messages, sampling, request.Stream), aborted);
        }
        catch (ServiceUnavailableException ex)
        {
            return Error(StatusCodes.Status503ServiceUnavailable, new OpenAiError(ex.Message, "server_error", null, "unavailable"));
        }

        context.Response.Headers[JobIdHeader] = job.JobId;
        activity?.SetTag("infera.job.id", job.JobId).SetTag("gen_ai.request.model", request.Model);

        // The first event decides the status: a job refused before any text gets a plain HTTP error.
        if (!await job.Events.WaitToReadAsync(aborted) || !job.Events.TryPeek(out var first))
        {
            return Error(StatusCodes.Status500InternalServerError, new OpenAiError("The job ended without an answer.", "server_error", null, "internal_error"));
        }

        if (first is JobFailed failed)
        {
            var (status, error) = OpenAiError.ForJob(failed.Error);
            return Error(status, error);
        }

        return new ChatCompletionResult(job, request, clock.GetUtcNow().ToUnixTimeSeconds());
    }

    private static JsonHttpResult<OpenAiErrorResponse> Error(int status, OpenAiError error) =>
        TypedResults.Json(new OpenAiErrorResponse(error), GatewayJsonContext.Default.OpenAiErrorResponse, statusCode: status);
}

/// <summary>Writes a started job's events as an SSE stream or as one <c>chat.completion</c>.</summary>
internal sealed class ChatCompletionResult(JobStream job, ChatCompletionRequest request, long created) : IResult
{
    public async Task ExecuteAsync(HttpContext context)
    {
        var response = context.Response;
        using var writer = new ChatCompletionWriter(response.BodyWriter, job.JobId, request.Model, created);
        try
        {
            if (request.Stream)
            {
                response.ContentType = "text/event-stream; charset=utf-8";
                response.Headers.CacheControl = "no-cache";
                response.Headers["X-Accel-Buffering"] = "no"; // tell reverse proxies not to hold events back
                context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
                await StreamAsync(writer, context.RequestAborted);
            }
            else
            {
                await CollectAsync(context, writer);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left; the job noticed through the same token.
        }
    }

    private async Task StreamAsync(ChatCompletionWriter writer, CancellationToken aborted)
    {
        var events = job.Events;
        writer.WriteRole();
        while (await events.WaitToReadAsync(aborted))
        {
            // Write everything that is ready, then flush once: fewer, fuller writes under load.
            while (events.TryRead(out var e))
            {
                switch (e)
                {
                    case TokenDelta delta:
                        writer.WriteContent(delta.Text);
                        break;
                    case JobCompleted completed:
                        writer.WriteFinish(completed.FinishReason);
                        if (request.IncludeUsage)
                        {
                            writer.WriteUsage(completed);
                        }

                        writer.WriteDone();
                        await writer.FlushAsync(aborted);
                        return;
                    case JobFailed failed:
                        writer.WriteError(OpenAiError.ForJob(failed.Error).Error);
                        await writer.FlushAsync(aborted);
                        return;
                }
            }

            await writer.FlushAsync(aborted);
        }

        writer.WriteError(new OpenAiError("The job ended without finishing its answer.", "server_error", null, "internal_error"));
        await writer.FlushAsync(aborted);
    }

    private async Task CollectAsync(HttpContext context, ChatCompletionWriter writer)
    {
        var text = new System.Text.StringBuilder();
        await foreach (var e in job.Events.ReadAllAsync(context.RequestAborted))
        {
            switch (e)
            {
                case TokenDelta delta:
                    text.Append(delta.Text);
                    break;
                case JobCompleted completed:
                    context.Response.ContentType = "application/json";
                    writer.WriteCompletion(text.ToString(), completed);
                    await writer.FlushAsync(context.RequestAborted);
                    return;
                case JobFailed failed:
                    var (status, error) = OpenAiError.ForJob(failed.Error);
                    context.Response.StatusCode = status;
                    await context.Response.WriteAsJsonAsync(new OpenAiErrorResponse(error), GatewayJsonContext.Default.OpenAiErrorResponse, contentType: null, cancellationToken: context.RequestAborted);
                    return;
            }
        }
    }
}
