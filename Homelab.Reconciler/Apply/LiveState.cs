using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Apply;

/// <summary>Compares two versions of one object, ignoring what the server changes on every write.</summary>
public static class LiveState
{
    private static readonly string[] VolatileMetadata = ["managedFields", "resourceVersion", "generation", "creationTimestamp", "uid"];

    public static bool SameAs(JsonObject? left, JsonObject? right) =>
        left is not null && right is not null && JsonNode.DeepEquals(Stable(left), Stable(right));

    private static JsonObject Stable(JsonObject manifest)
    {
        var copy = (JsonObject)manifest.DeepClone();
        copy.Remove("status");
        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var key in VolatileMetadata)
            {
                metadata.Remove(key);
            }
        }

        return copy;
    }
}
