using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>
/// Which objects a replacement reads from or writes to. Unlike a patch target, names compare exactly, and an object is
/// selected by any name or namespace it carried (kustomize keeps its earlier ids).
/// </summary>
internal sealed class ReplacementSelector
{
    private readonly string? _group, _version, _kind, _name, _namespace;
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _labels = [], _annotations = [];

    public ReplacementSelector(KustomizationFile kustomization, JsonObject selector, string field, bool withMetadataSelectors)
    {
        string[] fields = withMetadataSelectors
            ? ["group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector"]
            : ["group", "version", "kind", "name", "namespace", "fieldPath", "options"];
        kustomization.CheckFields(selector, field, fields);
        _group = kustomization.StringOf(selector["group"], $"{field}.group");
        _version = kustomization.StringOf(selector["version"], $"{field}.version");
        _kind = kustomization.StringOf(selector["kind"], $"{field}.kind");
        _name = kustomization.StringOf(selector["name"], $"{field}.name");
        _namespace = kustomization.StringOf(selector["namespace"], $"{field}.namespace");
        if (withMetadataSelectors)
        {
            _labels = LabelSelector.Parse(kustomization, kustomization.StringOf(selector["labelSelector"], $"{field}.labelSelector"), $"{field}.labelSelector");
            _annotations = LabelSelector.Parse(kustomization, kustomization.StringOf(selector["annotationSelector"], $"{field}.annotationSelector"), $"{field}.annotationSelector");
        }
    }

    public bool Matches(Resource resource) =>
        resource.IsOfType(_group, _version, _kind)
        && (string.IsNullOrEmpty(_name) || resource.HadName(_name))
        && (string.IsNullOrEmpty(_namespace) || KindRules.SameNamespace(_namespace, resource.Namespace) || KindRules.SameNamespace(_namespace, resource.OriginalNamespace))
        && resource.MatchesMetadataSelectors(_labels, _annotations);

    public override string ToString() =>
        string.Join(" ", new[] { _kind, _name, _namespace is null ? null : $"in {_namespace}" }.Where(p => !string.IsNullOrEmpty(p)));
}
