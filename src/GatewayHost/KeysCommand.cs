using System.CommandLine;
using Infera.Identity;
using Infera.Storage;
using Infera.Storage.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Infera.GatewayHost;

/// <summary><c>infera-gateway keys create</c>: makes an API key in the cluster's PostgreSQL, stores its hash, prints the key once.</summary>
internal static class KeysCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var name = new Option<string>("--name") { Description = "What the key is for.", DefaultValueFactory = _ => "api key" };
        var tenant = new Option<string?>("--tenant") { Description = "Tenant the key belongs to; keys of one tenant see each other's jobs. Default: a new tenant." };
        var create = new Command("create", "Create an API key and print it (only its hash is stored).") { name, tenant };
        create.SetAction(async (result, cancellationToken) =>
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
            var options = configuration.GetSection(PostgresOptions.Section).Get<PostgresOptions>() ?? new PostgresOptions();
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                await Console.Error.WriteLineAsync($"infera-gateway: set Infera__Postgres__ConnectionString to the cluster's PostgreSQL.");
                return 2;
            }

            try
            {
                await using var database = new PostgresDatabase(Options.Create(options));
                await database.MigrateAsync(cancellationToken);
                var key = ApiKeys.Generate();
                var record = ApiKeyRecord.For(key, result.GetValue(name)!, result.GetValue(tenant), DateTimeOffset.UtcNow);
                await new PostgresApiKeyStore(database).CreateAsync(record, cancellationToken);
                await Console.Out.WriteLineAsync(key);
                await Console.Error.WriteLineAsync($"Created {record.Id}. The key is shown only now; store it safely.");
                return 0;
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or System.Net.Sockets.SocketException)
            {
                await Console.Error.WriteLineAsync($"infera-gateway: PostgreSQL is not reachable: {ex.Message}");
                return 1;
            }
        });

        var root = new RootCommand("infera-gateway") { new Command("keys", "Manage API keys.") { create } };
        var parsed = root.Parse(["keys", .. args]);
        if (parsed.Errors.Count > 0)
        {
            await Console.Error.WriteLineAsync($"infera-gateway: {parsed.Errors[0].Message}");
            return 2;
        }

        return await parsed.InvokeAsync();
    }
}
