using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>
/// Strategic merge patch as kustomize applies it: maps merge, null deletes, <c>$patch: replace|delete</c>,
/// and lists of objects merge by their key (containers by name, volumeMounts by mountPath, ...);
/// any other list is replaced.
/// </summary>
internal sealed class StrategicMergePatch(bool knownSchema, Func<string, Exception> fail, OpenApiSchema? custom)
{
    // Merge keys kustomize infers for lists of objects when no schema says otherwise, in its order of preference.
    private static readonly string[] AssociativeKeys = ["mountPath", "devicePath", "ip", "type", "topologyKey", "name", "containerPort"];

    // Lists the Kubernetes schema declares atomic or keyless although their items carry an inferable key.
    private static readonly HashSet<string> ReplacedLists = new(StringComparer.Ordinal) { "tolerations", "envFrom", "args", "command" };

    /// <summary>Returns <paramref name="target"/> with <paramref name="patch"/> merged in (null when the patch deletes it).</summary>
    /// <remarks>
    /// Lists merge by key only for kinds kustomize has a schema for (built-in API groups); lists of
    /// custom resources are replaced wholesale, as kubectl kustomize does. With a <paramref name="custom"/> schema
    /// (the <c>openapi</c> field) only its merge keys count, from <paramref name="root"/> (the target kind's definition).
    /// </remarks>
    public static JsonObject? Apply(JsonObject target, JsonObject patch, bool knownSchema, Func<string, Exception> fail, OpenApiSchema? custom = null, JsonObject? root = null)
    {
        var result = (JsonObject)target.DeepClone();
        return new StrategicMergePatch(knownSchema, fail, custom).MergeObject(result, patch, root) ? result : null;
    }

    /// <summary>Merges <paramref name="patch"/> into <paramref name="target"/>; false means "delete this object".</summary>
    private bool MergeObject(JsonObject target, JsonObject patch, JsonObject? schema)
    {
        switch (patch["$patch"]?.ToString())
        {
            case "delete":
                return false;
            case "replace":
                target.Clear();
                foreach (var (k, v) in patch.Where(p => p.Key != "$patch"))
                {
                    target[k] = v?.DeepClone();
                }
                return true;
            case null or "merge":
                break;
            case var other:
                throw fail($"unknown $patch directive '{other}'");
        }
        foreach (var (key, value) in patch.ToList())
        {
            if (key.StartsWith('$'))
            {
                if (key != "$patch")
                {
                    throw fail($"directive '{key}' is not supported");
                }
                continue;
            }
            if (value is null)
            {
                target.Remove(key);
                continue;
            }
            var existing = target[key];
            var fieldSchema = custom?.Property(schema, key);
            switch (value)
            {
                case JsonObject patchObject when existing is JsonObject existingObject:
                    if (!MergeObject(existingObject, patchObject, fieldSchema))
                    {
                        target.Remove(key);
                    }
                    break;
                case JsonObject patchObject:
                    var fresh = new JsonObject();
                    if (MergeObject(fresh, patchObject, fieldSchema))
                    {
                        target[key] = fresh;
                    }
                    break;
                case JsonArray patchArray when existing is JsonArray existingArray:
                    target[key] = MergeList(key, existingArray, patchArray, fieldSchema);
                    break;
                default:
                    target[key] = StripDirectives(value.DeepClone());
                    break;
            }
        }
        return true;
    }

    private JsonArray MergeList(string field, JsonArray existing, JsonArray patch, JsonObject? schema)
    {
        var mergeKey = MergeKeyFor(field, existing, patch, schema);
        var itemSchema = custom?.Items(schema);
        if (mergeKey is null)
        {
            // A list-level "$patch: replace" item, or any keyless list, replaces wholesale.
            return (JsonArray)StripDirectives(new JsonArray([.. patch.Where(p => !(p is JsonObject o && o["$patch"] is not null)).Select(p => p?.DeepClone())]))!;
        }
        if (patch.Any(p => p is JsonObject o && o["$patch"]?.ToString() == "replace" && !o.ContainsKey(mergeKey)))
        {
            return new JsonArray([.. patch.Where(p => !(p is JsonObject o && o["$patch"] is not null && !o.ContainsKey(mergeKey))).Select(p => StripDirectives(p?.DeepClone()))]);
        }
        // kustomize prepends: items named by the patch come first in patch order, then the untouched originals.
        var result = new JsonArray();
        var handled = new List<JsonNode?>();
        foreach (var item in patch)
        {
            if (item is not JsonObject patchItem || patchItem[mergeKey] is not JsonValue keyValue)
            {
                throw fail($"list '{field}' is merged by '{mergeKey}' but a patch item has none");
            }
            if (handled.Exists(k => JsonNode.DeepEquals(k, keyValue)))
            {
                continue;
            }
            handled.Add(keyValue);
            var match = existing.OfType<JsonObject>().FirstOrDefault(e => JsonNode.DeepEquals(e[mergeKey], keyValue));
            var merged = (JsonObject?)match?.DeepClone() ?? [];
            if (patchItem["$patch"]?.ToString() == "delete" || !MergeObject(merged, patchItem, itemSchema))
            {
                continue;
            }
            result.Add((JsonNode)merged);
        }
        foreach (var item in existing)
        {
            if (item is not JsonObject o || !handled.Exists(k => JsonNode.DeepEquals(k, o[mergeKey])))
            {
                result.Add(item?.DeepClone());
            }
        }
        return result;
    }

    private string? MergeKeyFor(string field, JsonArray existing, JsonArray patch, JsonObject? schema)
    {
        if (custom is not null)
        {
            return existing.Concat(patch).All(i => i is JsonObject) ? custom.MergeKey(schema) : null;
        }
        if (!knownSchema)
        {
            return null;
        }
        if (ReplacedLists.Contains(field))
        {
            return null;
        }
        var items = existing.Concat(patch).ToList();
        if (items.Count == 0 || !items.All(i => i is JsonObject))
        {
            return null;
        }
        if (field == "ports")
        {
            // Container ports merge by containerPort, Service ports by port.
            return items.All(i => ((JsonObject)i!).ContainsKey("containerPort") || ((JsonObject)i!)["$patch"] is not null) ? "containerPort" : "port";
        }
        var keyed = items.Cast<JsonObject>().Where(o => o["$patch"]?.ToString() != "replace" || o.Count > 1).ToList();
        return AssociativeKeys.FirstOrDefault(k => keyed.Count > 0 && keyed.All(o => o.ContainsKey(k)));
    }

    private static JsonNode? StripDirectives(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                o.Remove("$patch");
                foreach (var (_, v) in o)
                {
                    StripDirectives(v);
                }
                break;
            case JsonArray a:
                foreach (var v in a)
                {
                    StripDirectives(v);
                }
                break;
        }
        return node;
    }
}
