using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>One object being rendered, plus what kustomize remembers about where it came from.</summary>
internal sealed class Resource(JsonObject content, string origin, string scope)
{
    /// <summary>The object itself, mutated in place by transformers.</summary>
    public JsonObject Content { get; set; } = content;

    /// <summary>File (or kustomization, for generated objects) it came from, for error messages.</summary>
    public string Origin { get; } = origin;

    /// <summary>Folder of the kustomization that first produced it; disambiguates name references.</summary>
    public string Scope { get; } = scope;

    /// <summary>Name as first read or generated, before any prefix, suffix or hash.</summary>
    public string OriginalName { get; } = NameOf(content);

    /// <summary>Namespace as first read or generated, before <c>namespace</c> moved it (kustomize selects by either).</summary>
    public string OriginalNamespace { get; } = content["metadata"] is JsonObject m && m["namespace"] is JsonValue v && v.TryGetValue<string>(out var ns) ? ns : "";

    /// <summary>Whether group, version and kind are the given ones, as patch targets and replacements select (empty: any).</summary>
    public bool IsOfType(string? group, string? version, string? kind) =>
        (string.IsNullOrEmpty(group) || group == Group)
        && (string.IsNullOrEmpty(version) || version == Version)
        && (string.IsNullOrEmpty(kind) || kind == Kind);

    /// <summary>Whether the labels and annotations satisfy selectors parsed by <see cref="LabelSelector.Parse"/>.</summary>
    public bool MatchesMetadataSelectors(List<Func<IReadOnlyDictionary<string, string>, bool>> labels, List<Func<IReadOnlyDictionary<string, string>, bool>> annotations) =>
        labels.TrueForAll(m => m(FieldPaths.Strings(Metadata["labels"])))
        && annotations.TrueForAll(m => m(FieldPaths.Strings(Metadata["annotations"])));

    /// <summary>True when <paramref name="name"/> is any name the object has carried.</summary>
    public bool HadName(string name) => Name == name || OriginalName == name || PreviousNames.Contains(name);

    /// <summary>Every name the object has carried, so references to any of them can be updated.</summary>
    public List<string> PreviousNames { get; } = [];

    /// <summary>Generated ConfigMap/Secret whose name gets the content hash at the very end.</summary>
    public bool NeedsHashSuffix { get; set; }

    public string ApiVersion => (string?)Content["apiVersion"] ?? "";

    public string Group => ApiVersionParts.GroupOf(ApiVersion);

    public string Version => ApiVersionParts.VersionOf(ApiVersion);

    public string Kind => (string?)Content["kind"] ?? "";

    public JsonObject Metadata => Content["metadata"] as JsonObject ?? throw new InvalidOperationException("object without metadata");

    public string Name
    {
        get => NameOf(Content);
        set
        {
            if (value != Name)
            {
                PreviousNames.Add(Name);
            }
            Metadata["name"] = value;
        }
    }

    public string Namespace => Metadata["namespace"] is JsonValue v && v.TryGetValue<string>(out var ns) ? ns : "";

    public ResourceId Id => new(Group, Kind, Namespace, Name);

    private static string NameOf(JsonObject content) =>
        content["metadata"] is JsonObject m && m["name"] is JsonValue v && v.TryGetValue<string>(out var n) ? n : "";
}
