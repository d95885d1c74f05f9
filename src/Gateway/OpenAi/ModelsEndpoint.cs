using Infera.Jobs;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Infera.Gateway.OpenAi;

/// <summary><c>GET /v1/models</c>: the models live nodes serve now; simulated ones say so.</summary>
internal static class ModelsEndpoint
{
    public static Ok<ModelList> Handle(IJobService jobs) =>
        TypedResults.Ok(new ModelList("list", [.. jobs.ListModels().Select(m =>
            new ModelEntry(m.Id, "model", 0, m.Simulated ? "infera-simulated" : "infera-network", new ModelDetails(m.Simulated, m.Nodes)))]));
}
