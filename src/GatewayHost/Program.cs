using Infera.Gateway.Cluster;
using Infera.Gateway.Hosting;
using Infera.GatewayHost;
using Infera.ServiceDefaults;

// A gateway of a cluster. Settings: Infera:Postgres:ConnectionString, Infera:RabbitMq:Uri, Infera:Gateway:GatewayId.
// `infera-gateway keys create --name NAME` makes an API key in the cluster's store.
if (args is ["keys", ..])
{
    return await KeysCommand.RunAsync(args[1..]);
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:8080"); // loopback unless told otherwise
builder.AddServiceDefaults("infera-gateway");
builder.AddInferaGateway();
builder.AddInferaGatewayCluster();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapInferaGateway();
await app.RunAsync();
return 0;
