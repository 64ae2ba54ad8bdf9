using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>A parsed kustomization.yaml with its fields checked against the supported subset.</summary>
internal sealed class KustomizationFile
{
    /// <summary>File names kustomize looks for, in its order of preference.</summary>
    public static readonly string[] FileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    private static readonly HashSet<string> Supported = new(StringComparer.Ordinal)
    {
        "apiVersion", "kind", "resources", "bases", "components", "configurations", "namespace", "labels", "commonLabels", "commonAnnotations", "namePrefix",
        "nameSuffix", "images", "replicas", "patches", "patchesStrategicMerge", "patchesJson6902",
        "configMapGenerator", "secretGenerator", "generatorOptions", "replacements", "vars", "transformers", "openapi",
    };

    // Real kustomize fields we refuse on purpose: rendering them silently wrong would be worse than failing.
    private static readonly HashSet<string> Unsupported = new(StringComparer.Ordinal)
    {
        "helmCharts", "helmChartInflationGenerator", "helmGlobals", "crds",
        "generators", "validators", "buildMetadata", "sortOptions",
        "imageTags", "labelSelector",
    };

    // Fields kustomize reads and we deliberately pass over: a kustomization's own metadata names nothing that is built.
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal) { "metadata" };

    private KustomizationFile(string file, string directory, JsonObject content)
    {
        File = file;
        Directory = directory;
        Content = content;
    }

    /// <summary>Root-relative path of the kustomization file.</summary>
    public string File { get; }

    /// <summary>Root-relative folder holding it; relative paths inside resolve from here.</summary>
    public string Directory { get; }

    public JsonObject Content { get; }

    /// <summary>A Component (kind Component): applied to the resources of the kustomization that lists it.</summary>
    public bool IsComponent => (string?)Content["kind"] == "Component";

    /// <summary>
    /// A kustomization made from a built-in transformer's configuration (a <c>PatchTransformer</c> is one <c>patches</c>
    /// entry), so the configuration runs through the same code as the field; errors name <paramref name="file"/>.
    /// </summary>
    public static KustomizationFile Synthetic(string file, string directory, JsonObject content) => new(file, directory, content);

    public static KustomizationFile Parse(string file, string directory, string text, BuildLimits limits)
    {
        var documents = new YamlToJson(file, limits).ReadDocuments(text).Where(d => d is not null).ToList();
        if (documents.Count != 1 || documents[0] is not JsonObject content)
        {
            throw new BuildException(file, null, "a kustomization must be exactly one YAML mapping");
        }
        content = CanonicalFields(file, content);
        var kind = content["kind"] is null ? "Kustomization" : content["kind"]!.ToString();
        if (kind is not ("Kustomization" or "Component"))
        {
            throw new BuildException(file, "kind", $"kind '{kind}' is not supported (only Kustomization and Component)");
        }
        var apiVersion = content["apiVersion"]?.ToString();
        if (apiVersion is not (null or "kustomize.config.k8s.io/v1beta1" or "kustomize.config.k8s.io/v1" or "kustomize.config.k8s.io/v1alpha1"))
        {
            throw new BuildException(file, "apiVersion", $"unsupported apiVersion '{apiVersion}'");
        }
        return new KustomizationFile(file, directory, content);
    }

    /// <summary>
    /// kustomize decodes a kustomization through Go's encoding/json, which matches field names regardless of case
    /// (<c>patchesJSON6902</c> is <c>patchesJson6902</c>); the later of two spellings wins, as there. Unknown and
    /// deliberately unsupported fields are refused, naming the field.
    /// </summary>
    private static JsonObject CanonicalFields(string file, JsonObject content)
    {
        var result = new JsonObject();
        foreach (var (key, value) in content.ToList())
        {
            var canonical = Supported.FirstOrDefault(f => f.Equals(key, StringComparison.OrdinalIgnoreCase))
                ?? Ignored.FirstOrDefault(f => f.Equals(key, StringComparison.OrdinalIgnoreCase))
                ?? (Unsupported.Any(f => f.Equals(key, StringComparison.OrdinalIgnoreCase))
                    ? throw new BuildException(file, key, "field is not supported by this renderer")
                    : throw new BuildException(file, key, "unknown field"));
            if (!Ignored.Contains(canonical))
            {
                content.Remove(key);
                result[canonical] = value;
            }
        }
        return result;
    }

    public string? String(string field) => StringOf(Content[field], field);

    public List<JsonNode?> List(string field) => Content[field] switch
    {
        null => [],
        JsonArray array => [.. array],
        _ => throw new BuildException(File, field, "must be a list"),
    };

    public List<string> StringList(string field) =>
        [.. List(field).Select((n, i) => StringOf(n, $"{field}[{i}]") ?? throw new BuildException(File, $"{field}[{i}]", "must be a string"))];

    public Dictionary<string, string> StringMap(JsonNode? node, string field)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (node)
        {
            case null:
                return result;
            case JsonObject obj:
                foreach (var (k, v) in obj)
                {
                    // kustomize decodes these as map[string]string: null is "", numbers and booleans are errors.
                    result[k] = v is null ? "" : Scalar(v, $"{field}.{k}");
                }
                return result;
            default:
                throw new BuildException(File, field, "must be a map of strings");
        }
    }

    public JsonObject Object(JsonNode? node, string field) =>
        node as JsonObject ?? throw new BuildException(File, field, "must be a mapping");

    public string? StringOf(JsonNode? node, string field) => node switch
    {
        null => null,
        JsonValue v => Scalar(v, field),
        _ => throw new BuildException(File, field, "must be a string"),
    };

    /// <summary>Rejects keys outside <paramref name="allowed"/> in a nested mapping.</summary>
    public void CheckFields(JsonObject obj, string field, params string[] allowed)
    {
        foreach (var (key, _) in obj)
        {
            if (!allowed.Contains(key))
            {
                throw new BuildException(File, $"{field}.{key}", "unknown or unsupported field");
            }
        }
    }

    private string Scalar(JsonNode v, string field) => v.GetValueKind() == System.Text.Json.JsonValueKind.String
        ? v.GetValue<string>()
        : throw new BuildException(File, field, $"must be a string, not {v.ToJsonString()} (quote it, as kubectl kustomize requires)");
}
