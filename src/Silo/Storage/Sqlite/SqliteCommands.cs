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

    /// <summary>
    /// Sets a parameter of a kept command (<see cref="SqliteWriter.Command"/>), adding it on the command's first use,
    /// so a write reuses its parameters rather than allocating them again; null is stored as NULL.
    /// </summary>
    public static void Set(this SqliteCommand command, string name, object? value)
    {
        value ??= DBNull.Value;
        var index = command.Parameters.IndexOf(name);
        if (index < 0)
        {
            command.Parameters.AddWithValue(name, value);
        }
        else
        {
            command.Parameters[index].Value = value;
        }
    }
}
