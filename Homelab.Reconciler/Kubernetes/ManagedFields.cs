using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Kubernetes;

/// <summary>
/// The fields one field manager owns on a live object, as the server stored them: its managedFields entry
/// for an Apply (fieldsV1) names them, and their stored values are already normalised and defaulted by the
/// server. Equal fingerprints mean nobody changed what that manager applied.
/// </summary>
public static class ManagedFields
{
    /// <summary>A short hash of <paramref name="fieldManager"/>'s owned fields' stored values; null without an Apply entry of its own.</summary>
    public static string? Fingerprint(JsonObject? live, string fieldManager)
    {
        if (Entry(live, fieldManager) is not { } fields)
        {
            return null;
        }

        var projection = Project(live, fields);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(projection?.ToJsonString() ?? "null")))[..16];
    }

    /// <summary>The live object cut down to the fields in <paramref name="fields"/> (a fieldsV1 set).</summary>
    public static JsonNode? Project(JsonNode? value, JsonObject fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (IsLeaf(fields))
        {
            // The whole value is owned (a scalar, or an atomic map or list such as a selector or args).
            return value?.DeepClone();
        }

        var projection = new JsonObject();
        foreach (var (key, child) in fields)
        {
            if (key == "." || child is not JsonObject childFields)
            {
                continue;
            }

            projection[key] = Project(Member(value, key), childFields);
        }

        return projection;
    }

    private static JsonObject? Entry(JsonObject? live, string fieldManager) =>
        live?["metadata"]?["managedFields"] is JsonArray entries
            ? entries.OfType<JsonObject>().FirstOrDefault(e =>
                Text(e["manager"]) == fieldManager && Text(e["operation"]) == "Apply" && e["subresource"] is null)?["fieldsV1"] as JsonObject
            : null;

    private static bool IsLeaf(JsonObject fields) => fields.All(p => p.Key == ".");

    /// <summary>
    /// The member a fieldsV1 key names: <c>f:name</c> a field, <c>k:{"name":"web"}</c> the list item with
    /// those key fields, <c>v:value</c> a set item, <c>i:3</c> an index. Null when it is gone.
    /// </summary>
    private static JsonNode? Member(JsonNode? value, string key) => key[..Math.Min(2, key.Length)] switch
    {
        "f:" => value is JsonObject o && o.TryGetPropertyValue(key[2..], out var field) ? field : null,
        "k:" when value is JsonArray list && Parse(key[2..]) is JsonObject keys => list.FirstOrDefault(item => item is JsonObject entry && keys.All(k => JsonNode.DeepEquals(entry[k.Key], k.Value))),
        "v:" when value is JsonArray set && Parse(key[2..]) is { } wanted => set.FirstOrDefault(item => JsonNode.DeepEquals(item, wanted)),
        "i:" when value is JsonArray indexed && int.TryParse(key[2..], System.Globalization.CultureInfo.InvariantCulture, out var index) && index < indexed.Count => indexed[index],
        _ => null,
    };

    private static JsonNode? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
