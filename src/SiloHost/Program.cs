using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Infera.Silo.Cluster;
using Infera.Silo.Hosting;

// A silo of a cluster. Settings: Infera:Postgres:ConnectionString, Infera:RabbitMq:Uri, Infera:Silo:SiloId (see k8s/).
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:8081"); // loopback unless told otherwise
builder.Services.AddHealthChecks();
builder.AddInferaSilo();
builder.AddInferaSiloCluster();

var app = builder.Build();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
app.MapGet("/healthz", () => "ok");
app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
app.MapNodeLink();
await app.RunAsync();
