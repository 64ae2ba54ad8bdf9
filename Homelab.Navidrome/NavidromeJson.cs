using System.Text.Json;
using System.Text.Json.Serialization;

namespace Homelab.Navidrome;

/// <summary>What Homelab sends Navidrome, serialized by generated code (the reconciler compiles natively).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AdminAccount))]
internal sealed partial class NavidromeJson : JsonSerializerContext;
