using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>How deeply objects and arrays nest in a node, counted the way System.Text.Json counts its max depth.</summary>
internal static class JsonDepth
{
    /// <summary>The nesting depth of <paramref name="node"/> (0 for a scalar), found without recursion.</summary>
    public static int Of(JsonNode? node)
    {
        var deepest = 0;
        var pending = new Stack<(JsonNode? Node, int Depth)>();
        pending.Push((node, 0));
        while (pending.TryPop(out var current))
        {
            IEnumerable<JsonNode?> children = current.Node switch
            {
                JsonObject o => o.Select(p => p.Value),
                JsonArray a => a,
                _ => [],
            };
            if (current.Node is JsonObject or JsonArray)
            {
                deepest = Math.Max(deepest, current.Depth + 1);
                foreach (var child in children)
                {
                    pending.Push((child, current.Depth + 1));
                }
            }
        }
        return deepest;
    }
}
