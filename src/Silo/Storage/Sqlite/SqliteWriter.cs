using Microsoft.Data.Sqlite;

namespace Infera.Storage.Sqlite;

/// <summary>
/// What a queued write runs against: the write loop's connection, inside the current batch's transaction. Its commands
/// are kept for the connection's life, so SQLite parses each SQL text once rather than on every write: a
/// <see cref="SqliteCommand"/> keeps its prepared statements while its text stays the same.
/// </summary>
public sealed class SqliteWriter : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    internal SqliteWriter(SqliteConnection connection) => Connection = connection;

    /// <summary>The write loop's connection, for one-off SQL (migrations) that is not worth keeping prepared.</summary>
    public SqliteConnection Connection { get; }

    /// <summary>The current batch's transaction.</summary>
    public SqliteTransaction Transaction { get; internal set; } = null!;

    /// <summary>
    /// The command for <paramref name="sql"/>, prepared on its first run and kept; the writer owns it, so callers do
    /// not dispose it. <paramref name="sql"/> must be a constant: every distinct text stays cached. The command keeps
    /// its parameters between uses with their values unset, so one left unset throws instead of binding the last
    /// write's value; set them with <see cref="SqliteCommands.Set"/>.
    /// </summary>
    public SqliteCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        command.Transaction = Transaction;
        foreach (SqliteParameter parameter in command.Parameters)
        {
            parameter.Value = null;
        }

        return command;
    }

    /// <summary>Closes the connection, which finalizes every kept statement.</summary>
    public void Dispose()
    {
        _commands.Clear();
        Connection.Dispose();
    }
}
