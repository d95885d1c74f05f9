using Infera.ServiceDefaults;
using Infera.Silo.Cluster;
using Infera.Silo.Hosting;

// A silo of a cluster. Settings: Infera:Postgres:ConnectionString, Infera:RabbitMq:Uri, Infera:Silo:SiloId (see k8s/).
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:8081"); // loopback unless told otherwise
builder.AddServiceDefaults("infera-silo");
builder.AddInferaSilo();
builder.AddInferaSiloCluster();

var app = builder.Build();
app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
app.MapDefaultEndpoints();
app.MapNodeLink();
await app.RunAsync();
