using System.Diagnostics;
using Infera.IntegrationTests.Support;
using Infera.Storage.Postgres;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Infera.IntegrationTests.Storage;

public sealed class PostgresHealthCheckTests
{
    private static HealthCheckContext Context(IHealthCheck check) =>
        new() { Registration = new HealthCheckRegistration("postgres", check, HealthStatus.Unhealthy, null) };

    [Test]
    public async Task Database_that_answers_is_healthy()
    {
        await using var temp = await TempPostgresDatabase.CreateAsync();
        var check = new PostgresHealthCheck(temp.Open());

        var result = await check.CheckHealthAsync(Context(check));

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Healthy), result.Description);
    }

    [Test]
    public async Task Closed_port_is_unhealthy_within_seconds_with_the_reason()
    {
        await using var database = new PostgresDatabase(Options.Create(new PostgresOptions { ConnectionString = "Host=127.0.0.1;Port=1;Username=infera;Password=x;Database=infera" }));
        var check = new PostgresHealthCheck(database);
        var clock = Stopwatch.StartNew();

        var result = await check.CheckHealthAsync(Context(check));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
            Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
            Assert.That(result.Description, Is.Not.Empty);
            Assert.That(result.Exception, Is.Not.Null);
        }
    }

    [Test]
    public async Task Unroutable_host_fails_within_the_health_checks_bound()
    {
        // 192.0.2.0/24 is TEST-NET-1: packets go nowhere, so only a timeout ends the attempt.
        await using var database = new PostgresDatabase(Options.Create(new PostgresOptions { ConnectionString = "Host=192.0.2.1;Username=infera;Password=x" }));
        var check = new PostgresHealthCheck(database);
        var clock = Stopwatch.StartNew();

        var result = await check.CheckHealthAsync(Context(check));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
            Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
        }
    }
}
