using Infera.ClusterTests.Support;

namespace Infera.ClusterTests;

/// <summary><c>infera-gateway keys create</c> as an operator types it; the happy path runs in every cluster test.</summary>
public sealed class KeysCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Without_a_connection_string_it_exits_2_naming_the_setting()
    {
        var (exitCode, output, error) = await HostProcess.RunCommandAsync("infera-gateway", ["keys", "create"], new Dictionary<string, string>(), Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(output, Is.Empty, "no key is printed");
            Assert.That(error.Trim(), Does.Contain("Infera__Postgres__ConnectionString").And.Not.Contain("\n"));
        }
    }

    [Test]
    public async Task With_PostgreSQL_unreachable_it_exits_1_with_one_line()
    {
        var environment = new Dictionary<string, string> { ["Infera__Postgres__ConnectionString"] = "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x" };
        var (exitCode, output, error) = await HostProcess.RunCommandAsync("infera-gateway", ["keys", "create", "--name", "x"], environment, Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(1));
            Assert.That(output, Is.Empty);
            Assert.That(error.Trim(), Does.StartWith("infera-gateway: PostgreSQL is not reachable").And.Not.Contain("\n"));
        }
    }

    [Test]
    public async Task An_unknown_option_exits_2()
    {
        var (exitCode, _, error) = await HostProcess.RunCommandAsync("infera-gateway", ["keys", "create", "--nmae", "x"], new Dictionary<string, string>(), Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exitCode, Is.EqualTo(2));
            Assert.That(error.Trim(), Does.StartWith("infera-gateway: "));
        }
    }
}
