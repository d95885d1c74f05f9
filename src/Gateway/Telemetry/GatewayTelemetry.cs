using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Infera.Gateway.Telemetry;

/// <summary>The gateway's activity source, "Infera.Gateway". HTTP metrics come from ASP.NET Core's own meter.</summary>
public static class GatewayTelemetry
{
    public const string Name = "Infera.Gateway";

    public static readonly ActivitySource ActivitySource = new(Name);

    /// <summary>
    /// Starts a chat completion's span; it ends with the response (streamed or not), and the job the request starts
    /// is its child.
    /// </summary>
    internal static Activity? StartChatCompletion(HttpContext context)
    {
        var activity = ActivitySource.StartActivity("infera.chat_completion");
        if (activity is not null)
        {
            context.Response.RegisterForDispose(activity);
        }

        return activity;
    }
}
