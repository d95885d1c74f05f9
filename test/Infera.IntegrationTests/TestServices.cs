using Npgsql;

namespace Infera.IntegrationTests;

/// <summary>
/// Finds the PostgreSQL server the tests were given, once for the whole run. Without one, every test fails with how to
/// start it; none passes or is skipped silently.
/// </summary>
[SetUpFixture]
public sealed class TestServices
{
    public const string PostgresVariable = "INFERA_TEST_POSTGRES";

    private const string HowToStart =
        "Set " + PostgresVariable + " (e.g. via `eval \"$(scripts/test-services.sh start)\"`, or run ./test.sh which starts PostgreSQL itself)";

    private static string? _postgres;

    /// <summary>The connection string of a role that may create and drop databases.</summary>
    public static string Postgres => _postgres ?? throw new InvalidOperationException(HowToStart);

    [OneTimeSetUp]
    public async Task FindPostgresAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Assert.Fail($"{PostgresVariable} is not set. {HowToStart}.");
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Timeout = 5, Pooling = false };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or ArgumentException or TimeoutException)
        {
            Assert.Fail($"PostgreSQL at {PostgresVariable} did not answer ({ex.Message}). {HowToStart}.");
        }

        _postgres = connectionString;
    }
}
