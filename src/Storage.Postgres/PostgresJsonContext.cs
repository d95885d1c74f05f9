using System.Text.Json.Serialization;
using Infera.Jobs;
using Infera.NodeLink;

namespace Infera.Storage.Postgres;

/// <summary>JSON columns of the stores; the same shapes as the SQLite store's.</summary>
[JsonSerializable(typeof(VerificationView))]
[JsonSerializable(typeof(IReadOnlyList<ModelOffer>))]
[JsonSerializable(typeof(HardwareInfo))]
internal sealed partial class PostgresJsonContext : JsonSerializerContext;
