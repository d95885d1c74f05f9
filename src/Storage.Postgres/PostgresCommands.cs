using Npgsql;
using NpgsqlTypes;

namespace Infera.Storage.Postgres;

/// <summary>Small helpers every PostgreSQL store uses to build commands and read values.</summary>
internal static class PostgresCommands
{
    public static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql) =>
        new(sql, connection, transaction);

    public static NpgsqlBatchCommand BatchCommand(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    public static NpgsqlParameter Parameter(string name, object? value) => new(name, value ?? DBNull.Value);

    /// <summary>A jsonb parameter from serialized JSON, or SQL null.</summary>
    public static NpgsqlParameter Json(string name, string? json) => new(name, NpgsqlDbType.Jsonb) { Value = (object?)json ?? DBNull.Value };

    /// <summary>
    /// The instant at millisecond precision, in UTC: the SQLite store keeps milliseconds, so both stores read back the
    /// same value, and Npgsql writes only UTC offsets to timestamptz.
    /// </summary>
    public static DateTimeOffset Ms(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());

    public static NpgsqlParameter Time(string name, DateTimeOffset? at) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = at is { } value ? Ms(value) : DBNull.Value };

    public static DateTimeOffset GetTime(this NpgsqlDataReader row, int ordinal) => row.GetFieldValue<DateTimeOffset>(ordinal);

    public static DateTimeOffset? GetTimeOrNull(this NpgsqlDataReader row, int ordinal) =>
        row.IsDBNull(ordinal) ? null : row.GetFieldValue<DateTimeOffset>(ordinal);

    public static string? GetStringOrNull(this NpgsqlDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);

    public static int? GetInt32OrNull(this NpgsqlDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetInt32(ordinal);

    public static double? GetDoubleOrNull(this NpgsqlDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetDouble(ordinal);
}
