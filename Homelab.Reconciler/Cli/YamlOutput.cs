using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace Homelab.Reconciler.Cli;

/// <summary>Writes objects as multi-document YAML, the way <c>kubectl kustomize</c> prints them.</summary>
public static class YamlOutput
{
    private static readonly ISerializer Serializer = new SerializerBuilder().DisableAliases().Build();

    public static string Write(IEnumerable<JsonObject> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var text = new StringBuilder();
        var first = true;
        foreach (var manifest in objects)
        {
            if (!first)
            {
                text.Append("---\n");
            }

            first = false;
            text.Append(Serializer.Serialize(ToPlain(manifest)));
        }

        return text.ToString();
    }

    private static object? ToPlain(JsonNode? node) => node switch
    {
        JsonObject o => o.ToDictionary(p => p.Key, p => ToPlain(p.Value)),
        JsonArray a => a.Select(ToPlain).ToList(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.TryGetValue<long>(out var l) ? l : v.GetValue<double>(),
        _ => null,
    };
}
