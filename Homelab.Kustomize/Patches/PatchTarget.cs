using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Homelab.Kustomize;

/// <summary>
/// The <c>target</c> selector of a patch: group, version and kind compare exactly, name and namespace
/// are anchored regular expressions (as in kustomize), label and annotation selectors use Kubernetes syntax.
/// The name matches any name the object carried, so an overlay can target a base's object by its unprefixed name.
/// </summary>
internal sealed class PatchTarget
{
    private readonly string? _group, _version, _kind;
    private readonly Regex? _name, _namespace;
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _labels, _annotations;

    public PatchTarget(KustomizationFile kustomization, JsonObject selector, string field)
    {
        kustomization.CheckFields(selector, field, "group", "version", "kind", "name", "namespace", "labelSelector", "annotationSelector");
        _group = kustomization.StringOf(selector["group"], $"{field}.group");
        _version = kustomization.StringOf(selector["version"], $"{field}.version");
        _kind = kustomization.StringOf(selector["kind"], $"{field}.kind");
        _name = Anchored(kustomization, kustomization.StringOf(selector["name"], $"{field}.name"), $"{field}.name");
        _namespace = Anchored(kustomization, kustomization.StringOf(selector["namespace"], $"{field}.namespace"), $"{field}.namespace");
        _labels = LabelSelector.Parse(kustomization, kustomization.StringOf(selector["labelSelector"], $"{field}.labelSelector"), $"{field}.labelSelector");
        _annotations = LabelSelector.Parse(kustomization, kustomization.StringOf(selector["annotationSelector"], $"{field}.annotationSelector"), $"{field}.annotationSelector");
    }

    public bool Matches(Resource resource) =>
        resource.IsOfType(_group, _version, _kind)
        && (_name is null || _name.IsMatch(resource.Name) || _name.IsMatch(resource.OriginalName) || resource.PreviousNames.Exists(_name.IsMatch))
        && (_namespace is null || _namespace.IsMatch(resource.Namespace))
        && resource.MatchesMetadataSelectors(_labels, _annotations);

    private static Regex? Anchored(KustomizationFile kustomization, string? pattern, string field)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return null;
        }
        try
        {
            return new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new BuildException(kustomization.File, field, $"invalid regular expression: {e.Message}", e);
        }
    }
}
