using System.Net.Sockets;
using Npgsql;
using RabbitMQ.Client;

// In the tests' root namespace: a SetUpFixture covers only its own namespace and those below it.
namespace Infera.ClusterTests;

/// <summary>The PostgreSQL and RabbitMQ the tests run on, from the environment, checked once before any test.</summary>
[SetUpFixture]
public sealed class ClusterServices
{
    private const string HowToStart =
        "Run ./test.sh (it starts PostgreSQL and RabbitMQ on loopback itself), or start them with "
        + "`eval \"$(scripts/test-services.sh start)\"` and run dotnet test in that shell.";

    public static string Postgres { get; private set; } = string.Empty;

    public static string RabbitMq { get; private set; } = string.Empty;

    [OneTimeSetUp]
    public async Task CheckAsync()
    {
        Postgres = Environment.GetEnvironmentVariable("INFERA_TEST_POSTGRES") ?? string.Empty;
        RabbitMq = Environment.GetEnvironmentVariable("INFERA_TEST_RABBITMQ") ?? string.Empty;
        if (Postgres.Length == 0 || RabbitMq.Length == 0)
        {
            Assert.Fail($"INFERA_TEST_POSTGRES and INFERA_TEST_RABBITMQ must be set. {HowToStart}");
        }

        try
        {
            await using var connection = new NpgsqlConnection(Postgres);
            await connection.OpenAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            Assert.Fail($"PostgreSQL at INFERA_TEST_POSTGRES is not reachable ({ex.Message}). {HowToStart}");
        }

        try
        {
            await using var connection = await new ConnectionFactory { Uri = new Uri(RabbitMq) }.CreateConnectionAsync();
        }
        catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.BrokerUnreachableException or SocketException)
        {
            Assert.Fail($"RabbitMQ at INFERA_TEST_RABBITMQ is not reachable ({ex.Message}). {HowToStart}");
        }
    }
}
