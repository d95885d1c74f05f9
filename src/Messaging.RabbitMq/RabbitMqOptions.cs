using Microsoft.Extensions.Options;

namespace Infera.Messaging.RabbitMq;

/// <summary>Where the bus is and how it names its queues. Section <c>Infera:RabbitMq</c>.</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "Infera:RabbitMq";

    /// <summary>The broker, as an AMQP URI (<c>amqp://user:password@host:5672/vhost</c>). Required.</summary>
    public string? Uri { get; set; }

    /// <summary>Prefix of every queue name, so several networks can share one broker. Default <c>infera</c>.</summary>
    public string QueuePrefix { get; set; } = "infera";

    /// <summary>How long a confirmed publish may wait for the broker before the caller is told it failed. Default 5 s.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for the broker's TCP connection; short, so callers fail fast. Default 3 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Pause between attempts while the broker cannot be reached. Default 1 s.</summary>
    public TimeSpan ReconnectInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The shared, durable queue of submitted jobs.</summary>
    public string JobsQueue => $"{QueuePrefix}.jobs";

    /// <summary>A silo's own queue: dispatches to its nodes, its nodes' reports for its jobs, cancels of its jobs.</summary>
    public string SiloQueue(string siloId) => $"{QueuePrefix}.silo.{siloId}";

    /// <summary>A gateway's own queue: the events of the jobs it submitted.</summary>
    public string GatewayQueue(string gatewayId) => $"{QueuePrefix}.gateway.{gatewayId}";
}

internal sealed class RabbitMqOptionsValidator : IValidateOptions<RabbitMqOptions>
{
    public ValidateOptionsResult Validate(string? name, RabbitMqOptions options)
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Uri))
        {
            problems.Add($"{RabbitMqOptions.Section}:Uri is required in cluster mode (e.g. amqp://guest:guest@127.0.0.1:5672/).");
        }
        else if (!System.Uri.TryCreate(options.Uri, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
        {
            problems.Add($"{RabbitMqOptions.Section}:Uri must be an amqp:// or amqps:// URI; got '{options.Uri}'.");
        }

        if (string.IsNullOrWhiteSpace(options.QueuePrefix))
        {
            problems.Add($"{RabbitMqOptions.Section}:QueuePrefix must not be empty.");
        }

        if (options.PublishTimeout <= TimeSpan.Zero || options.ConnectTimeout <= TimeSpan.Zero || options.ReconnectInterval <= TimeSpan.Zero)
        {
            problems.Add($"{RabbitMqOptions.Section}:PublishTimeout, ConnectTimeout and ReconnectInterval must be positive.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
