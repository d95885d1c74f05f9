using Infera.Storage;
using Infera.Storage.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Infera.Silo.Hosting;

/// <summary>
/// Before the silo serves anything: applies migrations, and fails the jobs a previous process left running (their
/// nodes and clients are gone with it), so no job stays <c>running</c> forever.
/// </summary>
internal sealed partial class StoreInitializer(SqliteDatabase database, IJobStore jobs, TimeProvider clock, ILogger<StoreInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await database.MigrateAsync(cancellationToken);
        var abandoned = await jobs.FailAbandonedAsync("The silo running this job stopped before it finished.", clock.GetUtcNow(), cancellationToken);
        LogStoreReady(logger, database.FilePath, applied, abandoned);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(3001, LogLevel.Information, "Store {Path} ready: {Applied} migration(s) applied, {Abandoned} abandoned job(s) marked failed")]
    private static partial void LogStoreReady(ILogger logger, string path, int applied, int abandoned);
}
