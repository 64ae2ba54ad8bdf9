using System.Text.Json;
using System.Text.Json.Serialization;

namespace Homelab.Reconciler.Status;

/// <summary>
/// Everything the HTTP endpoints write, generated at compile time (the native executable has no
/// reflection-based serializer). Web defaults, as ASP.NET Core's own: camelCase names.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(StatusSnapshot))]
[JsonSerializable(typeof(ApiMessage))]
internal sealed partial class ApiJson : JsonSerializerContext;
