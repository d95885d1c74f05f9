using System.Globalization;
using static Infera.Storage.Sqlite.SqliteJobStore;

namespace Infera.Storage.Sqlite;

/// <summary>Reputation and its ledger in the SQLite file.</summary>
public sealed class SqliteReputationStore(SqliteDatabase database) : IReputationStore
{
    public async Task<double?> GetAsync(string address, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var query = Command(connection, null, "SELECT reputation FROM nodes WHERE address = $address");
        query.Parameters.AddWithValue("$address", address);
        var value = await query.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? null : Convert.ToDouble(value, CultureInfo.InvariantCulture);
    }

    public Task ApplyAsync(ReputationChange change, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, """
                INSERT INTO reputation_events (node_address, job_id, outcome, before, after, reason, at_ms)
                VALUES ($address, $job, $outcome, $before, $after, $reason, $at);
                UPDATE nodes SET reputation = $after WHERE address = $address;
                """);
            command.Parameters.AddWithValue("$address", change.Address);
            command.Parameters.AddWithValue("$job", Db(change.JobId));
            command.Parameters.AddWithValue("$outcome", change.Outcome);
            command.Parameters.AddWithValue("$before", change.Before);
            command.Parameters.AddWithValue("$after", change.After);
            command.Parameters.AddWithValue("$reason", change.Reason);
            command.Parameters.AddWithValue("$at", change.At.ToUnixTimeMilliseconds());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
