using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Infera.Messaging.RabbitMq;

/// <summary>Ready only while the broker is connected.</summary>
public sealed class RabbitMqHealthCheck(RabbitMqBus bus) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(bus.IsConnected
            ? HealthCheckResult.Healthy("RabbitMQ connected")
            : HealthCheckResult.Unhealthy("RabbitMQ is not reachable"));
}
