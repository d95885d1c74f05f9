using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Infera.Messaging.RabbitMq;

public static class RabbitMqServiceCollectionExtensions
{
    /// <summary>The bus as a singleton and a hosted service, its options validated at start-up, and its readiness check.</summary>
    public static IServiceCollection AddInferaRabbitMq(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RabbitMqOptions>().Bind(configuration.GetSection(RabbitMqOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RabbitMqOptions>, RabbitMqOptionsValidator>();
        services.AddSingleton<RabbitMqBus>();
        services.AddHostedService(sp => sp.GetRequiredService<RabbitMqBus>());
        services.AddHealthChecks().AddCheck<RabbitMqHealthCheck>("rabbitmq", tags: ["ready"]);
        return services;
    }
}
