using System.Text.Json.Serialization;
using Infera.Jobs;
using Infera.NodeLink;

namespace Infera.Storage;

/// <summary>JSON columns of the stores.</summary>
[JsonSerializable(typeof(VerificationView))]
[JsonSerializable(typeof(IReadOnlyList<ModelOffer>))]
[JsonSerializable(typeof(HardwareInfo))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
