using Infera.Identity;
using Infera.Storage;
using Microsoft.Extensions.Hosting;

namespace Infera.Embedded;

/// <summary>
/// The embedded network's key for trying it out: <c>INFERA_DEV_API_KEY</c> when set, otherwise a fresh one per start.
/// Only its hash is stored; the key itself is shown once, in the banner.
/// </summary>
internal sealed class DevApiKey(IApiKeyStore keys, TimeProvider clock) : IHostedService
{
    public const string EnvironmentVariable = "INFERA_DEV_API_KEY";

    public string Key { get; } = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured ? configured : ApiKeys.Generate();

    public Task StartAsync(CancellationToken cancellationToken) =>
        keys.CreateAsync(
            ApiKeyRecord.For(Key, "embedded dev key", "dev", clock.GetUtcNow()),
            cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
