using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Homelab.Tests.Kustomize.Corpus;

/// <summary>Finds the first place two JSON trees differ, types included (a string "true" is not the boolean true).</summary>
internal static partial class JsonDifference
{
    /// <summary>Null when equal; otherwise the path of the first difference and both values.</summary>
    public static string? First(JsonNode? expected, JsonNode? actual, string path = "")
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var (key, value) in e)
                {
                    if (!a.ContainsKey(key))
                    {
                        return $"{path}/{key}: missing";
                    }
                    if (First(value, a[key], $"{path}/{key}") is { } inner)
                    {
                        return inner;
                    }
                }
                return a.Select(p => p.Key).FirstOrDefault(k => !e.ContainsKey(k)) is { } extra ? $"{path}/{extra}: unexpected" : null;
            case (JsonArray e, JsonArray a):
                for (var i = 0; i < Math.Min(e.Count, a.Count); i++)
                {
                    if (First(e[i], a[i], $"{path}/{i}") is { } inner)
                    {
                        return inner;
                    }
                }
                return e.Count == a.Count ? null : $"{path}: {e.Count} items expected, {a.Count} rendered";
            default:
                return JsonNode.DeepEquals(expected, actual) ? null
                    : $"{path}: expected {Show(expected)}, rendered {Show(actual)}";
        }
    }

    /// <summary>The path with indices and map keys under labels/annotations/data collapsed, to group similar failures.</summary>
    public static string Shape(string path) => Index().Replace(path, "/*");

    private static string Show(JsonNode? node)
    {
        var text = node is null ? "null" : $"{node.ToJsonString()} ({node.GetValueKind() switch { JsonValueKind.String => "string", JsonValueKind.Number => "number", JsonValueKind.True or JsonValueKind.False => "bool", var k => k.ToString().ToLowerInvariant() }})";
        return text.Length > 120 ? text[..120] + "…" : text;
    }

    [GeneratedRegex(@"/[0-9]+(?=/|$)")]
    private static partial Regex Index();
}
