using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Infera.Storage.Postgres;

/// <summary>
/// Applies the migrations before the host serves anything: start-up waits for it, and a database that cannot be
/// migrated stops the host rather than letting it serve against a schema it does not know.
/// </summary>
internal sealed partial class PostgresMigrator(PostgresDatabase database, ILogger<PostgresMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var applied = await database.MigrateAsync(cancellationToken);
            LogMigrated(logger, database.Options.ProcessId, applied);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogMigrationFailed(logger, ex);
            throw;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(3101, LogLevel.Information, "PostgreSQL store ready for {ProcessId}: {Applied} migration(s) applied")]
    private static partial void LogMigrated(ILogger logger, string processId, int applied);

    [LoggerMessage(3102, LogLevel.Critical, "PostgreSQL migrations failed; check Infera:Postgres:ConnectionString and the database")]
    private static partial void LogMigrationFailed(ILogger logger, Exception exception);
}
