using System.Globalization;
using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>A small RFC 6902 applier (add, remove, replace, move, copy, test) over JSON nodes.</summary>
internal static class JsonPatch
{
    /// <summary>Applies <paramref name="operations"/> to <paramref name="target"/>; <paramref name="fail"/> builds the error.</summary>
    public static JsonObject Apply(JsonObject target, JsonArray operations, Func<string, Exception> fail)
    {
        JsonNode document = target.DeepClone();
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject op || op["op"]?.ToString() is not { } name || op["path"]?.ToString() is not { } path)
            {
                throw fail($"operation {i}: needs 'op' and 'path'");
            }
            try
            {
                switch (name)
                {
                    case "add": Add(ref document, path, Required(op, "value")?.DeepClone()); break;
                    case "remove": Remove(document, path); break;
                    case "replace":
                        Get(document, path);
                        Remove(document, path);
                        Add(ref document, path, Required(op, "value")?.DeepClone());
                        break;
                    case "move":
                        var moved = Get(document, From(op));
                        Remove(document, From(op));
                        Add(ref document, path, moved);
                        break;
                    case "copy": Add(ref document, path, Get(document, From(op))?.DeepClone()); break;
                    case "test":
                        if (!JsonNode.DeepEquals(Get(document, path), op["value"]))
                        {
                            throw new InvalidOperationException($"test failed: value at '{path}' differs");
                        }
                        break;
                    default: throw new InvalidOperationException($"unknown op '{name}'");
                }
            }
            catch (InvalidOperationException e)
            {
                throw fail($"operation {i} ({name} {path}): {e.Message}");
            }
        }
        return document as JsonObject ?? throw fail("the patch replaced the whole object with a non-object");
    }

    private static string From(JsonObject op) => op["from"]?.ToString() ?? throw new InvalidOperationException("missing 'from'");

    private static JsonNode? Required(JsonObject op, string key) =>
        op.ContainsKey(key) ? op[key] : throw new InvalidOperationException($"missing '{key}'");

    private static List<string> Tokens(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }
        if (pointer[0] != '/')
        {
            throw new InvalidOperationException($"invalid JSON pointer '{pointer}'");
        }
        return [.. pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static JsonNode? Get(JsonNode document, string pointer)
    {
        JsonNode? node = document;
        foreach (var token in Tokens(pointer))
        {
            node = node switch
            {
                JsonObject o when o.ContainsKey(token) => o[token],
                JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
                _ => throw new InvalidOperationException($"path '{pointer}' does not exist"),
            };
        }
        return node;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode document, string pointer)
    {
        var tokens = Tokens(pointer);
        if (tokens.Count == 0)
        {
            throw new InvalidOperationException("cannot address the whole document here");
        }
        var parentPointer = string.Concat(tokens.Take(tokens.Count - 1).Select(t => "/" + t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));
        return (Get(document, parentPointer) ?? throw new InvalidOperationException($"parent of '{pointer}' is null"), tokens[^1]);
    }

    private static void Add(ref JsonNode document, string pointer, JsonNode? value)
    {
        if (pointer.Length == 0)
        {
            document = value ?? throw new InvalidOperationException("cannot replace the document with null");
            return;
        }
        var (parent, last) = Parent(document, pointer);
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw new InvalidOperationException($"cannot add at '{pointer}'");
        }
    }

    private static void Remove(JsonNode document, string pointer)
    {
        var (parent, last) = Parent(document, pointer);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count:
                a.RemoveAt(i);
                break;
            default:
                throw new InvalidOperationException($"path '{pointer}' does not exist");
        }
    }
}
