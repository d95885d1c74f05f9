namespace Infera.Storage.Sqlite;

/// <summary>The embedded store. Section <c>Infera:Sqlite</c>.</summary>
public sealed class SqliteOptions
{
    /// <summary>Path of the database file; its folder is created. Default <c>.data/infera.db</c>.</summary>
    public string Path { get; set; } = ".data/infera.db";
}
