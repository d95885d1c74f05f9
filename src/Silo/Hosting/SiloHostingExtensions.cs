using Infera.Canaries;
using Infera.Jobs;
using Infera.Network;
using Infera.NodeLink;
using Infera.Nodes;
using Infera.Reputation;
using Infera.Silo.NodeLink;
using Infera.Storage;
using Infera.Storage.Sqlite;
using Infera.Telemetry;
using Infera.Trust;
using Infera.Verification;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Infera.Silo.Hosting;

/// <summary>Composes a silo: stores, grains, the node link and its housekeeping.</summary>
public static class SiloHostingExtensions
{
    public static IHostApplicationBuilder AddInferaSilo(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SiloOptionsValidator>();
        AddValidatedOptions<SiloOptions>(services, config, "Infera:Silo");
        AddValidatedOptions<JobOptions>(services, config, "Infera:Jobs");
        AddValidatedOptions<VerificationOptions>(services, config, "Infera:Verification");
        AddValidatedOptions<TrustOptions>(services, config, "Infera:Trust");
        AddValidatedOptions<CanaryOptions>(services, config, "Infera:Canaries");

        services.AddSingleton<NodeRegistry>();
        services.AddInferaEmbedder(config);
        services.AddSingleton(sp => new VerifierGrain(sp.GetRequiredService<IEmbedder>(), sp.GetRequiredService<IOptions<VerificationOptions>>().Value));
        services.AddSingleton(sp => new TrustPolicy(sp.GetRequiredService<IOptions<TrustOptions>>().Value));
        services.AddSingleton(sp => new ReputationGrains(
            sp.GetRequiredService<ITrustStore>(), sp.GetRequiredService<TrustPolicy>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new CanaryService(sp.GetRequiredService<IOptions<CanaryOptions>>().Value, new Random()));
        services.AddSingleton<JobInstruments>();
        services.AddSingleton<JobService>();
        services.AddSingleton<IJobService>(sp => sp.GetRequiredService<JobService>());
        services.AddSingleton<NodeLinkHandler>();
        services.TryAddSingleton<IHelloReplayGuard, InMemoryHelloReplayGuard>();
        services.AddSingleton<NodeLinkShutdown>();
        services.AddHostedService<NodeLivenessService>();
        return builder;
    }

    /// <summary>The embedded store: one SQLite file, migrated at start-up.</summary>
    public static IHostApplicationBuilder AddInferaSqliteStores(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        AddValidatedOptions<SqliteOptions>(services, builder.Configuration, "Infera:Sqlite");
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<IJobStore, SqliteJobStore>();
        services.AddSingleton<INodeStore, SqliteNodeStore>();
        services.AddSingleton<ITrustStore, SqliteTrustStore>();
        services.AddSingleton<IApiKeyStore, SqliteApiKeyStore>();
        services.AddSingleton<INodeDirectory, SqliteNodeDirectory>();
        services.AddHostedService<StoreInitializer>();
        return builder;
    }

    /// <summary>Maps the WebSocket that agents dial, at <see cref="NodeLinkProtocol.Path"/>.</summary>
    public static IEndpointRouteBuilder MapNodeLink(this IEndpointRouteBuilder endpoints)
    {
        // The handler and the shutdown signal are singletons, taken from the root provider: asking the request's
        // services for them would open a service scope, with its disposal hook, that every link holds for its life.
        var services = endpoints.ServiceProvider;
        endpoints.Map(NodeLinkProtocol.Path, context => context.WebSockets.IsWebSocketRequest
            ? services.GetRequiredService<NodeLinkHandler>().RunAsync(context, services.GetRequiredService<NodeLinkShutdown>().Closing)
            : NotAWebSocketAsync(context));
        return endpoints;
    }

    private static Task NotAWebSocketAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        return context.Response.WriteAsync("This is the node link: a WebSocket for node agents (see `infera-node run --help`).\n");
    }

    private static void AddValidatedOptions<T>(IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration config, string section)
        where T : class
    {
        services.AddOptions<T>().Bind(config.GetSection(section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(sp => (IValidateOptions<T>)(object)sp.GetRequiredService<SiloOptionsValidator>());
    }
}
