using Infera.Gateway.Auth;
using Infera.Gateway.OpenAi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Infera.Gateway.Hosting;

/// <summary>Composes a gateway: API keys and the OpenAI-compatible endpoints.</summary>
public static class GatewayHostingExtensions
{
    public static IHostApplicationBuilder AddInferaGateway(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ApiKeyAuthenticator>();
        builder.Services.AddSingleton<RequireApiKey>();
        builder.Services.Configure<JsonOptions>(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default));
        return builder;
    }

    public static IEndpointRouteBuilder MapInferaGateway(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/v1").AddEndpointFilter<UnavailableFilter>().AddEndpointFilter<RequireApiKey>();
        v1.MapPost("/chat/completions", ChatCompletionsEndpoint.HandleAsync);
        v1.MapGet("/models", ModelsEndpoint.Handle);
        v1.MapGet("/jobs/{id}", JobsEndpoint.HandleAsync);
        v1.MapGet("/nodes", NodesEndpoint.ListAsync);
        v1.MapGet("/nodes/{address}", NodesEndpoint.GetAsync);
        return endpoints;
    }
}
