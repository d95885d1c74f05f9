using Infera.NodeAgent;

namespace Infera.UnitTests.NodeAgent;

/// <summary>
/// The command line as a node operator types it. The token is cancelled before the run, so the command reads every
/// option, builds its backend and key, and stops before dialling anyone.
/// </summary>
public sealed class AgentCommandLineTests
{
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("infera-cli-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static async Task<int> RunAsync(params string[] args)
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        return await AgentCommandLine.Build().Parse(args).InvokeAsync(cancellationToken: cancelled.Token);
    }

    [Test]
    [Platform(Exclude = "Win")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Run_with_an_openai_backend_url_starts_and_creates_a_private_key_file()
    {
        var key = Path.Combine(_directory, "node.key");

        var exit = await RunAsync("run", "--silo", "http://127.0.0.1:8080", "--backend", "openai", "--backend-url", "http://127.0.0.1:8000/", "--key-file", key);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.Zero);
            Assert.That(File.Exists(key), Is.True);
            Assert.That(File.GetUnixFileMode(key), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }
    }

    [TestCase("--backend", "openai", "--backend-url", "localhost:8000", TestName = "A backend URL without a scheme is a usage error")]
    [TestCase("--backend", "openai", TestName = "The openai backend without a URL is a usage error")]
    [TestCase("--backend", "simulated", "--max-concurrency", "0", TestName = "Zero concurrency is a usage error")]
    [TestCase("--backend", "simulated", "--operator", "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf", TestName = "An operator without its link is a usage error")]
    public async Task Bad_arguments_exit_with_2(params string[] options)
    {
        var exit = await RunAsync(["run", "--silo", "http://127.0.0.1:8080", "--key-file", Path.Combine(_directory, "node.key"), .. options]);

        Assert.That(exit, Is.EqualTo(2));
    }

    [Test]
    public void An_unknown_backend_is_a_parse_error()
    {
        var parsed = AgentCommandLine.Build().Parse(["run", "--silo", "http://127.0.0.1:8080", "--backend", "tensorflow"]);

        Assert.That(parsed.Errors, Is.Not.Empty);
    }
}
