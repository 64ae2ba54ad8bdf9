using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>
/// The <c>configurations</c> field: files that teach kustomize's built-in transformers about more fields:
/// <c>nameReference</c> (which fields of which kinds name a ConfigMap, Secret, Service…: HelmRelease
/// <c>spec/valuesFrom/name</c> is the common case) and <c>varReference</c> (more fields where <c>$(VAR)</c> is
/// substituted), whose rules apply to the whole output once every name is final, as in kustomize; and the
/// <see cref="TransformerFieldSpecs.Sections"/> (more fields for labels, images, prefixes…).
/// </summary>
internal static class TransformerConfigurations
{
    /// <summary>Reads every file listed in the kustomization's <c>configurations</c>, adding to the rule lists and <paramref name="sections"/>.</summary>
    public static void Read(KustomizationFile kustomization, RepositoryFiles files, BuildLimits limits, List<NameReferenceRule> nameReferences, List<FieldSpec> varReferences, TransformerFieldSpecs sections)
    {
        var entries = kustomization.StringList("configurations");
        for (var i = 0; i < entries.Count; i++)
        {
            var path = files.Resolve(kustomization.File, kustomization.Directory, entries[i], $"configurations[{i}]");
            var owner = KustomizationFile.Synthetic(path, kustomization.Directory, []);
            foreach (var document in new YamlToJson(path, limits).ReadDocuments(files.ReadText(path)).Where(d => d is not null))
            {
                var config = document as JsonObject ?? throw new BuildException(path, null, "a transformer configuration must be a mapping");
                foreach (var (key, _) in config)
                {
                    if (key is not ("nameReference" or "varReference") && !TransformerFieldSpecs.Sections.Contains(key))
                    {
                        throw new BuildException(path, key, "unknown configurations section");
                    }
                }
                nameReferences.AddRange(NameReferenceRules(owner, config["nameReference"]));
                varReferences.AddRange(FieldSpec.ReadList(owner, config["varReference"], "varReference"));
                foreach (var section in TransformerFieldSpecs.Sections)
                {
                    sections.Add(section, FieldSpec.ReadList(owner, config[section], section));
                }
            }
        }
    }

    private static IEnumerable<NameReferenceRule> NameReferenceRules(KustomizationFile owner, JsonNode? node)
    {
        var referrals = node switch
        {
            null => [],
            JsonArray array => array,
            _ => throw new BuildException(owner.File, "nameReference", "must be a list"),
        };
        for (var i = 0; i < referrals.Count; i++)
        {
            var field = $"nameReference[{i}]";
            var referral = owner.Object(referrals[i], field);
            var kind = owner.StringOf(referral["kind"], $"{field}.kind");
            if (string.IsNullOrEmpty(kind))
            {
                throw new BuildException(owner.File, $"{field}.kind", "required");
            }
            if (referral["fieldSpecs"] is not JsonArray)
            {
                throw new BuildException(owner.File, $"{field}.fieldSpecs", "must be a list");
            }
            foreach (var spec in FieldSpec.ReadList(owner, referral["fieldSpecs"], $"{field}.fieldSpecs"))
            {
                yield return new NameReferenceRule(kind, spec);
            }
        }
    }
}
