using Infera.Network;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Infera.Gateway.OpenAi;

/// <summary><c>GET /v1/nodes</c> and <c>GET /v1/nodes/{address}</c>: status, reputation, stake, penalties, recent verdicts.</summary>
internal static class NodesEndpoint
{
    public static async Task<Ok<NodeList>> ListAsync(INodeDirectory nodes, HttpContext context) =>
        TypedResults.Ok(new NodeList("list", await nodes.ListAsync(context.RequestAborted)));

    public static async Task<Results<Ok<NodeDetailView>, JsonHttpResult<OpenAiErrorResponse>>> GetAsync(string address, INodeDirectory nodes, HttpContext context) =>
        await nodes.GetAsync(address, context.RequestAborted) is { } node
            ? TypedResults.Ok(node)
            : TypedResults.Json(
                new OpenAiErrorResponse(OpenAiError.InvalidRequest($"No node with address '{address}' has been seen.", "address", "node_not_found")),
                GatewayJsonContext.Default.OpenAiErrorResponse,
                statusCode: StatusCodes.Status404NotFound);
}

/// <summary>The body of <c>GET /v1/nodes</c>.</summary>
public sealed record NodeList(
    [property: System.Text.Json.Serialization.JsonPropertyName("object")] string ObjectType,
    [property: System.Text.Json.Serialization.JsonPropertyName("data")] IReadOnlyList<NodeView> Data);
