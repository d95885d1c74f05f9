using Infera.Network;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Infera.Storage.Postgres;

/// <summary>Registers the PostgreSQL store.</summary>
public static class PostgresServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <see cref="PostgresOptions"/> from <c>Infera:Postgres</c>, and registers the database, the
    /// five stores as their interfaces, <see cref="PostgresHealthCheck"/> and the start-up migrations. The node
    /// directory also needs the silo's <c>NodeRegistry</c> and a <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddInferaPostgres(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PostgresOptions>().Bind(configuration.GetSection(PostgresOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgresOptions>, PostgresOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PostgresDatabase>();
        services.AddSingleton<IJobStore, PostgresJobStore>();
        services.AddSingleton<INodeStore, PostgresNodeStore>();
        services.AddSingleton<ITrustStore, PostgresTrustStore>();
        services.AddSingleton<IApiKeyStore, PostgresApiKeyStore>();
        services.AddSingleton<INodeDirectory, PostgresNodeDirectory>();
        services.AddSingleton<PostgresHealthCheck>();
        services.AddHostedService<PostgresMigrator>();
        return services;
    }
}
