using Infera.Gateway.Hosting;
using Infera.ServiceDefaults;
using Infera.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Infera.Embedded;

/// <summary>Silo and Gateway in one process, on one SQLite file, with local agents: the network on one machine.</summary>
public static class EmbeddedNetwork
{
    public static WebApplication Build(EmbeddedOptions options, string[]? configurationArgs = null)
    {
        var builder = WebApplication.CreateSlimBuilder(configurationArgs ?? []);
        builder.WebHost.UseUrls(options.Urls);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Configuration["Infera:Sqlite:Path"] ??= Path.Combine(options.DataDirectory, "infera.db");
        builder.Services.AddSingleton(options);
        builder.AddServiceDefaults("infera");
        builder.AddInferaSilo();
        builder.AddInferaSqliteStores();
        builder.AddInferaGateway();
        builder.Services.AddSingleton<DevApiKey>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DevApiKey>());
        builder.Services.AddHostedService<LocalAgents>();

        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.MapDefaultEndpoints();
        app.MapNodeLink();
        app.MapInferaGateway();
        return app;
    }

    /// <summary>The first address Kestrel bound (the real port when configured with port 0).</summary>
    public static Uri BoundAddress(IServer server) =>
        new(server.Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
