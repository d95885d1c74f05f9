using System.CommandLine;
using Infera.Identity;
using Infera.Storage;
using Infera.Storage.Sqlite;
using Microsoft.Extensions.Options;

namespace Infera.Embedded;

/// <summary><c>infera keys create</c>: makes an API key, stores its hash, prints the key once.</summary>
internal static class KeysCommand
{
    public static Command Create(Option<string> data)
    {
        var name = new Option<string>("--name") { Description = "What the key is for.", DefaultValueFactory = _ => "api key" };
        var tenant = new Option<string?>("--tenant") { Description = "Tenant the key belongs to; keys of one tenant see each other's jobs. Default: a new tenant." };
        var create = new Command("create", "Create an API key and print it (only its hash is stored).") { name, tenant };
        create.SetAction(async (result, cancellationToken) =>
        {
            var path = Path.Combine(result.GetValue(data)!, "infera.db");
            using var database = new SqliteDatabase(Options.Create(new SqliteOptions { Path = path }));
            await database.MigrateAsync(cancellationToken);
            var key = ApiKeys.Generate();
            var record = ApiKeyRecord.For(key, result.GetValue(name)!, result.GetValue(tenant), DateTimeOffset.UtcNow);
            await new SqliteApiKeyStore(database).CreateAsync(record, cancellationToken);
            await Console.Out.WriteLineAsync(key);
            await Console.Error.WriteLineAsync($"Created {record.Id} in {database.FilePath}. The key is shown only now; store it safely.");
            return 0;
        });

        return new Command("keys", "Manage API keys.") { create };
    }
}
