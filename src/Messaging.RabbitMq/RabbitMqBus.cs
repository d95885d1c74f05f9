using System.Text.Json;
using System.Threading.Channels;
using Infera.Cluster;
using Infera.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Infera.Messaging.RabbitMq;

/// <summary>
/// The process's link to RabbitMQ. It connects in the background and keeps trying while the broker is away (RabbitMQ's
/// client recovers a connection that drops after that, queues and consumers included). Messages whose loss would lose a
/// job are published with confirms (and <c>mandatory</c>, so one with no queue to go to comes back as an error); the
/// stream of tokens and events goes through an ordered outbox without waiting for the broker.
/// </summary>
public sealed partial class RabbitMqBus(IOptions<RabbitMqOptions> options, IServiceProvider services, ILogger<RabbitMqBus> logger) : BackgroundService
{
    private readonly RabbitMqOptions _options = options.Value;
    private readonly Dictionary<string, (IChannel Channel, string Tag)> _consumers = new(StringComparer.Ordinal);
    private readonly Channel<(string Queue, byte[] Body)> _outbox =
        Channel.CreateUnbounded<(string, byte[])>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _firstConnect = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IConnection? _connection;
    private IChannel? _confirmed;
    private IChannel? _streaming;

    public RabbitMqOptions Options => _options;

    /// <summary>Whether the broker is reachable now.</summary>
    public bool IsConnected => _connection is { IsOpen: true };

    /// <summary>Completes once the first connection and the subscriptions are up.</summary>
    public Task Connected => _firstConnect.Task;

    /// <summary>Publishes and waits for the broker to take the message. Throws <see cref="ServiceUnavailableException"/> when it does not.</summary>
    public async Task PublishAsync(string queue, ClusterMessage message, bool persistent, CancellationToken cancellationToken)
    {
        var channel = _confirmed;
        if (channel is null || !IsConnected)
        {
            throw new ServiceUnavailableException("The message bus (RabbitMQ) is not reachable now; retry shortly.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PublishTimeout);
        var properties = new BasicProperties { Persistent = persistent, ContentType = "application/json" };
        try
        {
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, ClusterWire.Serialize(message), timeout.Token);
        }
        catch (PublishException ex) when (ex.IsReturn)
        {
            throw new UnroutableMessageException(queue);
        }
        catch (PublishException ex)
        {
            throw new ServiceUnavailableException("The message bus refused the message; retry shortly.", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServiceUnavailableException($"The message bus did not confirm within {_options.PublishTimeout.TotalSeconds:F0} s; retry shortly.", ex);
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or BrokerUnreachableException or IOException)
        {
            throw new ServiceUnavailableException("The message bus (RabbitMQ) is not reachable now; retry shortly.", ex);
        }
    }

    /// <summary>
    /// Queues a message for sending in order with every other posted message, without waiting for the broker. For
    /// streams (tokens, job events) where waiting per message would cost more than a rare loss, which the receiver
    /// notices by its own deadlines.
    /// </summary>
    public void Post(string queue, ClusterMessage message) => _outbox.Writer.TryWrite((queue, ClusterWire.Serialize(message)));

    /// <summary>How many processes read <paramref name="queue"/>, or null when the broker cannot say now.</summary>
    public async Task<uint?> ConsumerCountAsync(string queue, CancellationToken cancellationToken)
    {
        if (_streaming is not { } channel || !IsConnected)
        {
            return null;
        }

        try
        {
            return await channel.ConsumerCountAsync(queue, cancellationToken);
        }
        catch (Exception ex) when (ex is OperationInterruptedException or AlreadyClosedException)
        {
            return null;
        }
    }

    /// <summary>Stops reading <paramref name="queue"/> (a draining silo takes no more jobs); messages not yet taken stay for others.</summary>
    public async Task StopConsumingAsync(string queue, CancellationToken cancellationToken)
    {
        if (_consumers.Remove(queue, out var consumer) && consumer.Channel.IsOpen)
        {
            await consumer.Channel.BasicCancelAsync(consumer.Tag, noWait: false, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested && _connection is null)
        {
            try
            {
                await ConnectAsync(stoppingToken);
                _firstConnect.TrySetResult();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogConnectFailed(logger, _options.Uri is { } u ? new Uri(u).Authority : "?", ex.Message);
                await CloseAsync();
                await Task.Delay(_options.ReconnectInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        await foreach (var (queue, body) in _outbox.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await _streaming!.BasicPublishAsync(string.Empty, queue, mandatory: false, new BasicProperties(), body, stoppingToken);
            }
            catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or IOException)
            {
                LogPostDropped(logger, queue, ex.Message);
            }
        }
    }

    private async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(_options.Uri!),
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = _options.ReconnectInterval,
            RequestedConnectionTimeout = _options.ConnectTimeout,
            ClientProvidedName = $"infera {Environment.MachineName}",
        };
        // Resolved now, not at construction: handlers publish through this bus.
        var subscriptions = services.GetServices<IBusSubscription>().ToList();
        _connection = await factory.CreateConnectionAsync(cancellationToken);
        _connection.ConnectionShutdownAsync += (_, e) =>
        {
            LogConnectionLost(logger, e.ReplyText);
            if (e.Initiator != ShutdownInitiator.Application)
            {
                foreach (var subscription in subscriptions.Where(s => s.Private))
                {
                    subscription.ConnectionLost();
                }
            }

            return Task.CompletedTask;
        };
        _connection.RecoverySucceededAsync += (_, _) =>
        {
            LogConnectionRecovered(logger);
            return Task.CompletedTask;
        };

        _confirmed = await _connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
        _streaming = await _connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await _streaming.QueueDeclareAsync(_options.JobsQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        foreach (var subscription in subscriptions)
        {
            await StartConsumerAsync(_connection, subscription, cancellationToken);
        }

        LogConnected(logger, _connection.Endpoint.ToString(), subscriptions.Count);
    }

    private async Task StartConsumerAsync(IConnection connection, IBusSubscription subscription, CancellationToken cancellationToken)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(subscription.Queue, durable: !subscription.Private, exclusive: subscription.Private, autoDelete: subscription.Private, cancellationToken: cancellationToken);
        var autoAck = subscription.Private;
        if (!autoAck)
        {
            await channel.BasicQosAsync(0, subscription.Prefetch, global: false, cancellationToken);
        }

        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var tag = delivery.DeliveryTag;
            var ack = autoAck ? null : (Func<bool, ValueTask>)(done => SettleAsync(channel, tag, done));
            ClusterMessage message;
            try
            {
                message = ClusterWire.Deserialize(delivery.Body.Span);
            }
            catch (JsonException ex)
            {
                LogBadMessage(logger, subscription.Queue, ex.Message);
                if (ack is not null)
                {
                    await ack(true); // a message nobody can read would otherwise come back forever
                }

                return;
            }

            try
            {
                await subscription.HandleAsync(message, new Delivery(delivery.Redelivered, ack));
            }
            catch (Exception ex)
            {
                LogHandlerFailed(logger, subscription.Queue, ex);
            }
        };
        var tag = await channel.BasicConsumeAsync(subscription.Queue, autoAck, consumer, cancellationToken);
        _consumers[subscription.Queue] = (channel, tag);
    }

    private async ValueTask SettleAsync(IChannel channel, ulong deliveryTag, bool done)
    {
        try
        {
            if (done)
            {
                await channel.BasicAckAsync(deliveryTag, multiple: false);
            }
            else
            {
                await channel.BasicNackAsync(deliveryTag, multiple: false, requeue: true);
            }
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or IOException)
        {
            // The channel closed since delivery; the broker hands the message out again, and the taker finds it finished.
            LogAckLost(logger, ex.Message);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _outbox.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        await CloseAsync();
    }

    private async Task CloseAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            try
            {
                await connection.CloseAsync();
            }
            catch (Exception ex) when (ex is AlreadyClosedException or IOException or OperationInterruptedException)
            {
                // already gone
            }

            connection.Dispose();
        }
    }

    [LoggerMessage(5001, LogLevel.Information, "Message bus connected to {Endpoint}; reading {Queues} queue(s)")]
    private static partial void LogConnected(ILogger logger, string endpoint, int queues);

    [LoggerMessage(5002, LogLevel.Warning, "Message bus at {Endpoint} unreachable: {Reason}; retrying")]
    private static partial void LogConnectFailed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(5003, LogLevel.Warning, "Message bus connection lost: {Reason}; recovering")]
    private static partial void LogConnectionLost(ILogger logger, string reason);

    [LoggerMessage(5004, LogLevel.Information, "Message bus connection recovered")]
    private static partial void LogConnectionRecovered(ILogger logger);

    [LoggerMessage(5005, LogLevel.Warning, "Unreadable message on {Queue} dropped: {Reason}")]
    private static partial void LogBadMessage(ILogger logger, string queue, string reason);

    [LoggerMessage(5006, LogLevel.Error, "Handling a message from {Queue} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string queue, Exception exception);

    [LoggerMessage(5007, LogLevel.Debug, "Posted message for {Queue} dropped: {Reason}")]
    private static partial void LogPostDropped(ILogger logger, string queue, string reason);

    [LoggerMessage(5008, LogLevel.Debug, "Acknowledgement lost: {Reason}")]
    private static partial void LogAckLost(ILogger logger, string reason);
}

/// <summary>One received message: whether the broker delivered it before, and its acknowledgement (shared queues only).</summary>
public sealed class Delivery(bool redelivered, Func<bool, ValueTask>? settle)
{
    public bool Redelivered { get; } = redelivered;

    /// <summary>Tells the broker the message is done with; until then a lost process's messages go to another.</summary>
    public ValueTask AckAsync() => settle?.Invoke(true) ?? ValueTask.CompletedTask;

    /// <summary>Gives the message back to the queue for another reader.</summary>
    public ValueTask RequeueAsync() => settle?.Invoke(false) ?? ValueTask.CompletedTask;
}

/// <summary>A mandatory message had no queue to go to: the process it was meant for is gone.</summary>
public sealed class UnroutableMessageException(string queue) : Exception($"No queue '{queue}': the process it belongs to is gone.")
{
    public string Queue { get; } = queue;
}
