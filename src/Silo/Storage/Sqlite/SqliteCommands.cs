using Microsoft.Data.Sqlite;

namespace Infera.Storage.Sqlite;

/// <summary>Small helpers every SQLite store uses to build commands.</summary>
internal static class SqliteCommands
{
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>The value, or DBNull for null, as ADO.NET parameters want it.</summary>
    public static object Db(object? value) => value ?? DBNull.Value;
}
