using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Apply;

/// <summary>
/// Whether every field of a desired manifest has the same value in the live object. Fields the server
/// or other managers added are ignored; lists must match element by element (same length).
/// </summary>
public static class JsonSubset
{
    public static bool IsSubset(JsonNode? desired, JsonNode? live) => desired switch
    {
        null => live is null,
        JsonObject d => live is JsonObject l && d.All(p => l.TryGetPropertyValue(p.Key, out var value) ? IsSubset(p.Value, value) : p.Value is null),
        JsonArray d => live is JsonArray l && d.Count == l.Count && d.Select((e, i) => IsSubset(e, l[i])).All(x => x),
        _ => JsonNode.DeepEquals(desired, live),
    };
}
