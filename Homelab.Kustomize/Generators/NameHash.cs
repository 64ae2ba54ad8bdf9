using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>
/// The content hash kustomize appends to generated ConfigMap/Secret names. It must match byte for
/// byte, or references rendered by other tools (and rollouts keyed on the name) would differ.
/// </summary>
internal static class NameHash
{
    /// <summary>Hash suffix (10 characters) for a ConfigMap or Secret.</summary>
    public static string Compute(JsonObject obj)
    {
        var kind = (string?)obj["kind"];
        // Only these fields count, so labels/annotations/namespace never change the suffix. The name is
        // always empty: kustomize looks "metadata/name" up as one literal key, finds nothing, and hashes "".
        // Matching that quirk is what makes our suffixes byte-identical to kubectl kustomize's.
        var subject = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal)
        {
            ["kind"] = kind,
            ["name"] = "",
            ["data"] = obj["data"]?.DeepClone() ?? "",
        };
        if (kind == "Secret")
        {
            subject["type"] = obj["type"]?.DeepClone() ?? "";
            if (obj["stringData"] is JsonObject stringData)
            {
                subject["stringData"] = stringData.DeepClone();
            }
        }
        else if (obj["binaryData"] is JsonObject binaryData)
        {
            subject["binaryData"] = binaryData.DeepClone();
        }
        var json = new StringBuilder();
        foreach (var (key, value) in subject)
        {
            json.Append(json.Length == 0 ? '{' : ',');
            WriteString(json, key);
            json.Append(':');
            WriteGoJson(json, value);
        }
        json.Append('}');
        return Encode(SHA256.HashData(Encoding.UTF8.GetBytes(json.ToString())));
    }

    /// <summary>First 10 hex digits with 0,1,3,a,e swapped for letters, so the suffix never looks like a number or word.</summary>
    internal static string Encode(byte[] digest)
    {
        var hex = Convert.ToHexStringLower(digest).AsSpan(0, 10);
        var result = new char[10];
        for (var i = 0; i < 10; i++)
        {
            result[i] = hex[i] switch
            {
                '0' => 'g',
                '1' => 'h',
                '3' => 'k',
                'a' => 'm',
                'e' => 't',
                var c => c,
            };
        }
        return new string(result);
    }

    /// <summary>Writes JSON as Go's encoding/json does: sorted keys, HTML-safe escapes.</summary>
    private static void WriteGoJson(StringBuilder json, JsonNode? node)
    {
        switch (node)
        {
            case null:
                json.Append("null");
                break;
            case JsonObject obj:
                json.Append('{');
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    json.Append(first ? "" : ",");
                    first = false;
                    WriteString(json, key);
                    json.Append(':');
                    WriteGoJson(json, value);
                }
                json.Append('}');
                break;
            case JsonArray array:
                json.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    json.Append(i == 0 ? "" : ",");
                    WriteGoJson(json, array[i]);
                }
                json.Append(']');
                break;
            default:
                if (node.GetValueKind() == System.Text.Json.JsonValueKind.String)
                {
                    WriteString(json, node.GetValue<string>());
                }
                else
                {
                    json.Append(node.ToJsonString());
                }
                break;
        }
    }

    private static void WriteString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                // Go escapes these so JSON can be embedded in HTML and JavaScript.
                case '<' or '>' or '&' or '\u2028' or '\u2029' or < ' ':
                    json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: json.Append(c); break;
            }
        }
        json.Append('"');
    }
}
