using Infera.Messaging.RabbitMq;
using Infera.Silo.NodeLink;
using Infera.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Infera.Silo.Cluster;

/// <summary>Composes a silo of a cluster: PostgreSQL for state, RabbitMQ for jobs and messages between silos.</summary>
public static class SiloClusterExtensions
{
    /// <summary>Adds cluster membership to a silo built with <c>AddInferaSilo</c> (instead of the SQLite store).</summary>
    public static IHostApplicationBuilder AddInferaSiloCluster(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddInferaPostgres(builder.Configuration);
        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);
        services.AddInferaRabbitMq(builder.Configuration);
        services.AddOptions<ClusterOptions>().Bind(builder.Configuration.GetSection(ClusterOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>();

        // Jobs are recorded under the silo's id, which is what the rescuer checks leases against.
        services.AddOptions<PostgresOptions>().Configure<IOptions<SiloOptions>>((postgres, silo) => postgres.ProcessId = silo.Value.SiloId);

        services.AddSingleton(sp => new ClusterStore(sp.GetRequiredService<PostgresDatabase>().DataSource));
        services.Replace(ServiceDescriptor.Singleton<IHelloReplayGuard, PostgresHelloReplayGuard>());
        services.AddSingleton<RemoteNodes>();
        services.AddSingleton<JobQueueConsumer>();
        services.AddSingleton<IBusSubscription>(sp => sp.GetRequiredService<JobQueueConsumer>());
        services.AddSingleton<IBusSubscription, SiloInbox>();
        services.AddSingleton<SiloDrain>();
        services.AddHostedService(sp => sp.GetRequiredService<SiloDrain>());
        services.AddHostedService<SiloMembership>();

        // The host must wait for the drain, and a little for the web server after it.
        services.AddOptions<HostOptions>().Configure<IOptions<ClusterOptions>>((host, cluster) =>
            host.ShutdownTimeout = cluster.Value.DrainTimeout + TimeSpan.FromSeconds(10));
        return builder;
    }
}

internal sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        var problems = new List<string>();
        if (options.MaxJobs == 0)
        {
            problems.Add($"{ClusterOptions.Section}:MaxJobs must be at least 1.");
        }

        if (options.DrainTimeout < TimeSpan.Zero)
        {
            problems.Add($"{ClusterOptions.Section}:DrainTimeout must not be negative.");
        }

        if (options.HeartbeatInterval <= TimeSpan.Zero || options.RescueInterval <= TimeSpan.Zero)
        {
            problems.Add($"{ClusterOptions.Section}:HeartbeatInterval and RescueInterval must be positive.");
        }

        if (options.SiloLease < 2 * options.HeartbeatInterval)
        {
            problems.Add($"{ClusterOptions.Section}:SiloLease must be at least twice HeartbeatInterval, or a slow heartbeat looks like a dead silo.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
