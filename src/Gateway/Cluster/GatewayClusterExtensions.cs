using Infera.Jobs;
using Infera.Messaging.RabbitMq;
using Infera.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Infera.Gateway.Cluster;

/// <summary>Composes a cluster gateway: jobs over RabbitMQ to the silos, keys and job records in PostgreSQL.</summary>
public static class GatewayClusterExtensions
{
    public static IHostApplicationBuilder AddInferaGatewayCluster(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddInferaPostgres(builder.Configuration);
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);
        services.AddInferaRabbitMq(builder.Configuration);
        services.AddOptions<GatewayOptions>().Bind(builder.Configuration.GetSection(GatewayOptions.Section)).ValidateOnStart()
            .Validate(o => o.JobIdleTimeout > TimeSpan.Zero && o.RefreshInterval > TimeSpan.Zero && o.SiloLease > TimeSpan.Zero,
                $"{GatewayOptions.Section}:JobIdleTimeout, RefreshInterval and SiloLease must be positive.");
        services.AddSingleton(sp => new ClusterStore(sp.GetRequiredService<PostgresDatabase>().DataSource));
        services.AddSingleton<ClusterModels>();
        services.AddSingleton<BusJobService>();
        services.AddSingleton<IJobService>(sp => sp.GetRequiredService<BusJobService>());
        services.AddSingleton<IBusSubscription>(sp => sp.GetRequiredService<BusJobService>());
        services.AddHostedService<GatewayHousekeeping>();
        return builder;
    }
}
