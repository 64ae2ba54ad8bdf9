namespace Homelab.Kustomize;

/// <summary>
/// Field specs that <c>configurations</c> add to the built-in transformers (<c>commonLabels</c>, <c>images</c>,
/// <c>namePrefix</c>…). As in kustomize they hold for the kustomization that lists them and every kustomization that
/// includes it, not for its siblings; the same spec twice counts once.
/// </summary>
internal sealed class TransformerFieldSpecs
{
    /// <summary>The sections of a configuration file that name fields for a built-in transformer.</summary>
    public static readonly string[] Sections =
        ["namePrefix", "nameSuffix", "namespace", "commonLabels", "templateLabels", "labels", "commonAnnotations", "images", "replicas"];

    private readonly Dictionary<string, List<FieldSpec>> _specs = Sections.ToDictionary(s => s, _ => new List<FieldSpec>(), StringComparer.Ordinal);

    public IReadOnlyList<FieldSpec> this[string section] => _specs[section];

    public void Add(string section, IEnumerable<FieldSpec> specs)
    {
        var list = _specs[section];
        list.AddRange(specs.Where(s => !list.Exists(e => SameField(e, s))));
    }

    public void Merge(TransformerFieldSpecs other)
    {
        foreach (var (section, specs) in other._specs)
        {
            Add(section, specs);
        }
    }

    /// <summary><paramref name="defaults"/> plus the section's specs that are not already among them.</summary>
    public List<FieldSpec> With(IEnumerable<FieldSpec> defaults, params string[] sections)
    {
        var result = defaults.ToList();
        foreach (var section in sections)
        {
            result.AddRange(_specs[section].Where(s => !result.Exists(e => SameField(e, s))));
        }
        return result;
    }

    private static bool SameField(FieldSpec a, FieldSpec b) => a.Path == b.Path && a.Kind == b.Kind && a.Group == b.Group && a.Version == b.Version;
}
