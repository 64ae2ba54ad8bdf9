using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>
/// The dotted field paths of <c>replacements</c> and <c>vars</c>: <c>spec.containers.[name=web].image</c>,
/// <c>spec.containers.0.image</c>, <c>spec.containers.*.image</c> (every item; only of a sequence, as in kubectl),
/// <c>metadata.annotations.[a.b/c]</c>.
/// Dots inside brackets do not split; <c>[key=value]</c> selects sequence items, <c>[=value]</c> scalar items.
/// </summary>
internal static class ReplacementPath
{
    public static List<string> Split(string path)
    {
        var segments = new List<string>();
        var start = 0;
        var depth = 0;
        for (var i = 0; i < path.Length; i++)
        {
            depth += path[i] switch { '[' => 1, ']' => -1, _ => 0 };
            if (path[i] == '.' && depth == 0)
            {
                segments.Add(path[start..i]);
                start = i + 1;
            }
        }
        segments.Add(path[start..]);
        // A bracketed segment that selects nothing ("[a.b]") is a key holding dots.
        return [.. segments.Select(s => s.StartsWith('[') && s.EndsWith(']') && !s.Contains('=', StringComparison.Ordinal) ? s[1..^1] : s)];
    }

    /// <summary>
    /// Every place <paramref name="path"/> reaches in <paramref name="root"/>. With <paramref name="create"/>, missing mappings,
    /// sequences, <c>[key=value]</c> items and the last field are created (the last holding null, for the caller to fill).
    /// </summary>
    /// <exception cref="InvalidOperationException">The path is too long, or walks a field of a sequence or an index of a mapping.</exception>
    public static List<FieldSlot> Find(JsonObject root, string path, bool create)
    {
        var segments = Split(path);
        if (segments.Count > FieldPaths.MaxSegments)
        {
            throw new InvalidOperationException($"more than {FieldPaths.MaxSegments} segments");
        }
        var slots = new List<FieldSlot>();
        Walk(root, segments, 0, create, false, slots);
        return slots;
    }

    private static void Walk(JsonNode node, List<string> segments, int index, bool create, bool created, List<FieldSlot> slots)
    {
        var segment = segments[index];
        var last = index == segments.Count - 1;
        foreach (var slot in Step(node, segment, create, created))
        {
            if (last)
            {
                slots.Add(slot);
                continue;
            }
            if (slot.Value is null)
            {
                if (!create)
                {
                    continue;
                }
                slot.Value = IsSequenceStep(segments[index + 1]) ? new JsonArray() : new JsonObject();
                Walk(slot.Value, segments, index + 1, create, true, slots);
            }
            else if (slot.Value is JsonObject or JsonArray)
            {
                Walk(slot.Value, segments, index + 1, create, slot.Created, slots);
            }
        }
    }

    private static bool IsSequenceStep(string segment) => segment.StartsWith('[') || int.TryParse(segment, out _);

    private static List<FieldSlot> Step(JsonNode node, string segment, bool create, bool created)
    {
        switch (node)
        {
            case JsonArray array when segment == "*":
                return Enumerable.Range(0, array.Count).Select(i => new FieldSlot(array, "", i, created)).ToList();
            case JsonArray array when int.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i):
                return i < array.Count ? [new FieldSlot(array, "", i, created)] : [];
            case JsonArray array when segment.StartsWith('[') && segment.EndsWith(']'):
                return Select(array, segment[1..^1], create);
            case JsonArray:
                throw new InvalidOperationException($"'{segment}' names a field, but the value there is a sequence");
            case JsonObject when segment == "*" || (segment.StartsWith('[') && segment.EndsWith(']')):
                throw new InvalidOperationException($"'{segment}' selects sequence items, but the value there is a mapping");
            case JsonObject obj when obj.ContainsKey(segment):
                return [new FieldSlot(obj, segment, 0, created)];
            case JsonObject obj when create:
                obj[segment] = null;
                return [new FieldSlot(obj, segment, 0, true)];
            default:
                return [];
        }
    }

    /// <summary>Items of a sequence whose <c>key</c> equals value (<c>[=value]</c>: scalar items equal to it).</summary>
    private static List<FieldSlot> Select(JsonArray array, string selector, bool create)
    {
        var eq = selector.IndexOf('=', StringComparison.Ordinal);
        var key = selector[..eq];
        var value = selector[(eq + 1)..];
        var slots = new List<FieldSlot>();
        for (var i = 0; i < array.Count; i++)
        {
            var candidate = key.Length == 0 ? array[i] : (array[i] as JsonObject)?[key];
            if (candidate is JsonValue v && Text(v) == value)
            {
                slots.Add(new FieldSlot(array, "", i, false));
            }
        }
        if (slots.Count == 0 && create)
        {
            array.Add(key.Length == 0 ? JsonValue.Create(value) : new JsonObject { [key] = value });
            slots.Add(new FieldSlot(array, "", array.Count - 1, true));
        }
        return slots;
    }

    /// <summary>A scalar as YAML text: strings as they are, numbers and booleans as written.</summary>
    public static string Text(JsonValue value) =>
        value.GetValueKind() == System.Text.Json.JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
}
