using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>How a generator with <c>behavior: merge</c> or <c>replace</c> changes the ConfigMap or Secret it names.</summary>
internal static class GeneratedData
{
    private static readonly string[] DataFields = ["data", "binaryData", "stringData"];

    /// <summary>The new keys, labels and annotations win over the existing ones; everything else stays.</summary>
    public static void Merge(JsonObject existing, JsonObject generated)
    {
        foreach (var field in DataFields)
        {
            MergeMap(existing, generated, field);
        }
        var metadata = (JsonObject)existing["metadata"]!;
        var newMetadata = (JsonObject)generated["metadata"]!;
        MergeMap(metadata, newMetadata, "labels");
        MergeMap(metadata, newMetadata, "annotations");
    }

    /// <summary>The new data replaces the existing (name and namespace stay); labels and annotations still merge.</summary>
    public static void Replace(JsonObject existing, JsonObject generated)
    {
        foreach (var field in DataFields)
        {
            existing.Remove(field);
        }
        if (generated["type"] is { } type)
        {
            existing["type"] = type.DeepClone();
        }
        Merge(existing, generated);
    }

    private static void MergeMap(JsonObject target, JsonObject source, string field)
    {
        if (source[field] is not JsonObject additions)
        {
            return;
        }
        if (target[field] is not JsonObject map)
        {
            map = new JsonObject();
            target[field] = map;
        }
        foreach (var (key, value) in additions)
        {
            map[key] = value?.DeepClone();
        }
    }
}
