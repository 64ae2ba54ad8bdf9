using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>
/// A kustomization's <c>openapi: {path: …}</c> schema (Swagger 2 <c>definitions</c>, JSON or YAML). As in kubectl
/// kustomize it replaces the built-in Kubernetes schema for strategic merge patches: kinds it declares (by
/// <c>x-kubernetes-group-version-kind</c>) merge lists by their <c>x-kubernetes-patch-merge-key</c>, every other
/// kind, built-in ones included, replaces lists wholesale.
/// </summary>
internal sealed class OpenApiSchema
{
    private const int MaxReferenceHops = 64;
    private readonly JsonObject _definitions;
    private readonly string _file;

    private OpenApiSchema(string file, JsonObject definitions)
    {
        _file = file;
        _definitions = definitions;
    }

    /// <summary>Reads the <c>openapi</c> field of <paramref name="kustomization"/>, or null when it has none.</summary>
    public static OpenApiSchema? Read(KustomizationFile kustomization, RepositoryFiles files, BuildLimits limits)
    {
        if (kustomization.Content["openapi"] is not { } node)
        {
            return null;
        }
        var field = kustomization.Object(node, "openapi");
        // 'version' picks another built-in Kubernetes schema; we only have kubectl v5.5's.
        kustomization.CheckFields(field, "openapi", "path");
        var relative = kustomization.StringOf(field["path"], "openapi.path") ?? throw new BuildException(kustomization.File, "openapi.path", "required");
        var path = files.Resolve(kustomization.File, kustomization.Directory, relative, "openapi.path");
        var documents = new YamlToJson(path, limits).ReadDocuments(files.ReadText(path)).Where(d => d is not null).ToList();
        if (documents.Count != 1 || documents[0] is not JsonObject schema || schema["definitions"] is not JsonObject definitions)
        {
            throw new BuildException(path, "definitions", "an OpenAPI schema must be one mapping with a 'definitions' mapping");
        }
        return new OpenApiSchema(path, definitions);
    }

    /// <summary>The definition of <paramref name="resource"/>'s group, version and kind, or null when the schema lacks it.</summary>
    public JsonObject? Root(Resource resource)
    {
        foreach (var (_, definition) in _definitions)
        {
            if (definition is JsonObject d && d["x-kubernetes-group-version-kind"] is JsonArray gvks
                && gvks.OfType<JsonObject>().Any(g => Text(g["group"]) == resource.Group && Text(g["version"]) == resource.Version && Text(g["kind"]) == resource.Kind))
            {
                return d;
            }
        }
        return null;
    }

    /// <summary>The schema of field <paramref name="key"/> of an object described by <paramref name="schema"/>.</summary>
    public JsonObject? Property(JsonObject? schema, string key) => Resolve(Resolve(schema)?["properties"]?[key] as JsonObject);

    /// <summary>The schema of the items of a list described by <paramref name="schema"/>.</summary>
    public JsonObject? Items(JsonObject? schema) => Resolve(Resolve(schema)?["items"] as JsonObject);

    /// <summary>The key a list described by <paramref name="schema"/> merges by, or null when it is replaced.</summary>
    public string? MergeKey(JsonObject? schema)
    {
        var list = Resolve(schema);
        return list is not null && Text(list["x-kubernetes-patch-strategy"])?.Split(',').Contains("merge") == true
            ? Text(list["x-kubernetes-patch-merge-key"])
            : null;
    }

    /// <summary>Follows <c>$ref: "#/definitions/…"</c>, a bounded number of times (a schema may refer to itself).</summary>
    private JsonObject? Resolve(JsonObject? schema)
    {
        for (var hops = 0; schema?["$ref"] is JsonValue reference; hops++)
        {
            if (hops == MaxReferenceHops)
            {
                throw new BuildException(_file, "definitions", "$ref chain too long (a reference cycle?)");
            }
            var name = Text(reference) is { } r && r.StartsWith("#/definitions/", StringComparison.Ordinal) ? r["#/definitions/".Length..]
                : throw new BuildException(_file, "definitions", $"unsupported $ref '{reference.ToJsonString()}' (only #/definitions/… is read)");
            schema = _definitions[name] as JsonObject;
        }
        return schema;
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : null;
}
