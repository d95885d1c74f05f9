using Infera.IntegrationTests.Support;
using Infera.Network;
using Infera.Nodes;
using Infera.Storage;
using Infera.Storage.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Infera.IntegrationTests.Storage;

public sealed class PostgresRegistrationTests
{
    private static IHost Build(IDictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<NodeRegistry>();
        builder.Services.AddInferaPostgres(builder.Configuration);
        return builder.Build();
    }

    [Test]
    public async Task Host_start_migrates_the_database_and_resolves_every_store()
    {
        await using var temp = await TempPostgresDatabase.CreateAsync();
        using var host = Build(new Dictionary<string, string?>
        {
            ["Infera:Postgres:ConnectionString"] = temp.ConnectionString,
            ["Infera:Postgres:ProcessId"] = "silo-7",
            ["Infera:Postgres:SiloLease"] = "00:00:30",
        });

        await host.StartAsync();
        try
        {
            var services = host.Services;
            using (Assert.EnterMultipleScope())
            {
                Assert.That(await temp.ScalarAsync("SELECT COUNT(*) FROM schema_migrations"), Is.EqualTo(PostgresDatabase.Migrations().Count));
                Assert.That(services.GetRequiredService<IJobStore>(), Is.InstanceOf<PostgresJobStore>());
                Assert.That(services.GetRequiredService<INodeStore>(), Is.InstanceOf<PostgresNodeStore>());
                Assert.That(services.GetRequiredService<ITrustStore>(), Is.InstanceOf<PostgresTrustStore>());
                Assert.That(services.GetRequiredService<IApiKeyStore>(), Is.InstanceOf<PostgresApiKeyStore>());
                Assert.That(services.GetRequiredService<INodeDirectory>(), Is.InstanceOf<PostgresNodeDirectory>());
                Assert.That(services.GetRequiredService<PostgresHealthCheck>(), Is.Not.Null);
                Assert.That(services.GetRequiredService<IOptions<PostgresOptions>>().Value.ProcessId, Is.EqualTo("silo-7"));
                Assert.That(services.GetRequiredService<IOptions<PostgresOptions>>().Value.SiloLease, Is.EqualTo(TimeSpan.FromSeconds(30)));
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Test]
    public void Missing_connection_string_stops_start_up_naming_the_setting()
    {
        using var host = Build(new Dictionary<string, string?>());

        Assert.That(() => host.StartAsync(), Throws.InstanceOf<OptionsValidationException>()
            .With.Message.Contains("Infera:Postgres:ConnectionString is required"));
    }

    [Test]
    public void Unparsable_connection_string_and_bad_timeouts_are_reported_together()
    {
        using var host = Build(new Dictionary<string, string?>
        {
            ["Infera:Postgres:ConnectionString"] = "Host=db;Port=not-a-port",
            ["Infera:Postgres:CommandTimeout"] = "00:00:00",
            ["Infera:Postgres:ProcessId"] = " ",
        });

        var failure = Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.That(failure!.Failures, Has.Some.StartsWith("Infera:Postgres:ConnectionString is not a valid Npgsql connection string")
            .And.Some.StartsWith("Infera:Postgres:CommandTimeout")
            .And.Some.StartsWith("Infera:Postgres:ProcessId"));
    }

    [Test]
    public async Task Connection_string_without_a_timeout_gets_a_short_one_and_one_that_names_it_keeps_it()
    {
        await using var plain = new PostgresDatabase(Options.Create(new PostgresOptions { ConnectionString = "Host=db", CommandTimeout = TimeSpan.FromSeconds(7) }));
        await using var named = new PostgresDatabase(Options.Create(new PostgresOptions { ConnectionString = "Host=db;timeout=20" }));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Setting(plain, "Timeout"), Is.EqualTo("3"));
            Assert.That(Setting(plain, "Command Timeout"), Is.EqualTo("7"));
            Assert.That(Setting(named, "Timeout"), Is.EqualTo("20"));
        }
    }

    private static string? Setting(PostgresDatabase database, string key) =>
        new Npgsql.NpgsqlConnectionStringBuilder(database.DataSource.ConnectionString)[key]?.ToString();
}
