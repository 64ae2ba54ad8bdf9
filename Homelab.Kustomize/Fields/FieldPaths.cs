using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>
/// Walks kustomize-style field paths ("spec/template/metadata/labels"); sequences on the way are
/// walked item by item, as kustomize's field specs do, and a trailing "[]" on a segment is accepted.
/// </summary>
internal static class FieldPaths
{
    /// <summary>
    /// Most segments a configured path may have: no rendered object nests deeper than <see cref="BuildLimits.MaxYamlDepth"/>'s
    /// default, and a longer path with <c>create</c> would build (recursively) an object past it.
    /// </summary>
    public const int MaxSegments = 64;

    /// <summary>True when <paramref name="path"/> has more than <see cref="MaxSegments"/> segments split by <paramref name="separator"/>.</summary>
    public static bool TooLong(string path, char separator) => path.Count(c => c == separator) >= MaxSegments;

    /// <summary>
    /// Calls <paramref name="visit"/> with each (parent object, last key) the path reaches. With
    /// <paramref name="create"/>, missing intermediate objects are created (never through sequences).
    /// </summary>
    public static void Visit(JsonObject root, string path, bool create, Action<JsonObject, string> visit)
    {
        Walk(root, path.Split('/'), 0, create, visit);
    }

    private static void Walk(JsonNode? node, string[] segments, int index, bool create, Action<JsonObject, string> visit)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array.ToList())
                {
                    Walk(item, segments, index, create, visit);
                }
                return;
            case JsonObject obj when index == segments.Length - 1:
                if (obj.ContainsKey(segments[index].TrimEnd('[', ']')) || create)
                {
                    visit(obj, segments[index].TrimEnd('[', ']'));
                }
                return;
            case JsonObject obj:
                // "name[]" marks a sequence: walked into, never created.
                var isSequence = segments[index].EndsWith("[]", StringComparison.Ordinal);
                var key = isSequence ? segments[index][..^2] : segments[index];
                if (obj[key] is null)
                {
                    if (!create || isSequence)
                    {
                        return;
                    }
                    obj[key] = new JsonObject();
                }
                Walk(obj[key], segments, index + 1, create, visit);
                return;
        }
    }

    /// <summary>A labels or annotations map as strings (scalars as written), for selectors; anything else is empty.</summary>
    public static Dictionary<string, string> Strings(JsonNode? node) =>
        node is JsonObject map
            ? map.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => ReplacementPath.Text((JsonValue)p.Value!), StringComparer.Ordinal)
            : [];

    /// <summary>Value of a slash path if every step is an object, else null.</summary>
    public static JsonNode? Get(JsonObject root, string path)
    {
        JsonNode? node = root;
        foreach (var segment in path.Split('/'))
        {
            node = (node as JsonObject)?[segment];
        }
        return node;
    }
}
