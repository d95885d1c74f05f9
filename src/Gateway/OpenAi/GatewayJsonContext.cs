using System.Text.Json.Serialization;
using Infera.Jobs;

namespace Infera.Gateway.OpenAi;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(OpenAiErrorResponse))]
[JsonSerializable(typeof(JobView))]
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(NodeList))]
[JsonSerializable(typeof(Infera.Network.NodeDetailView))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
