using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Build;

/// <summary>
/// The <c>configurations</c> field: files that teach kustomize's built-in transformers about more fields. We read
/// <c>nameReference</c> (which fields of which kinds name a ConfigMap, Secret, Service…: HelmRelease
/// <c>spec/valuesFrom/name</c> is the common case). As in kustomize, the rules of every kustomization in the
/// build apply to the whole output once every name is final.
/// </summary>
internal static class TransformerConfigurations
{
    /// <summary>Reads every file listed in the kustomization's <c>configurations</c> and returns its name reference rules.</summary>
    public static IEnumerable<NameReferenceRule> Read(KustomizationFile kustomization, RepositoryFiles files, BuildLimits limits)
    {
        var entries = kustomization.StringList("configurations");
        for (var i = 0; i < entries.Count; i++)
        {
            var field = $"configurations[{i}]";
            var path = files.Resolve(kustomization.File, kustomization.Directory, entries[i], field);
            foreach (var document in new YamlToJson(path, limits).ReadDocuments(files.ReadText(path)))
            {
                if (document is null)
                {
                    continue;
                }
                var config = document as JsonObject ?? throw new BuildException(path, null, "a transformer configuration must be a mapping");
                foreach (var (key, _) in config)
                {
                    if (key != "nameReference")
                    {
                        throw new BuildException(path, key, "only nameReference is supported in configurations");
                    }
                }
                foreach (var rule in NameReferenceRules(path, config["nameReference"]))
                {
                    yield return rule;
                }
            }
        }
    }

    private static IEnumerable<NameReferenceRule> NameReferenceRules(string path, JsonNode? node)
    {
        var referrals = node as JsonArray ?? throw new BuildException(path, "nameReference", "must be a list");
        for (var i = 0; i < referrals.Count; i++)
        {
            var field = $"nameReference[{i}]";
            var referral = referrals[i] as JsonObject ?? throw new BuildException(path, field, "must be a mapping");
            var kind = Text(path, referral, "kind", field) ?? throw new BuildException(path, $"{field}.kind", "required");
            var specs = referral["fieldSpecs"] as JsonArray ?? throw new BuildException(path, $"{field}.fieldSpecs", "must be a list");
            for (var j = 0; j < specs.Count; j++)
            {
                var specField = $"{field}.fieldSpecs[{j}]";
                var spec = specs[j] as JsonObject ?? throw new BuildException(path, specField, "must be a mapping");
                var fieldPath = Text(path, spec, "path", specField) ?? throw new BuildException(path, $"{specField}.path", "required");
                yield return new NameReferenceRule(kind, new FieldSpec(fieldPath, false,
                    Text(path, spec, "kind", specField) ?? "", Text(path, spec, "group", specField) ?? "", Text(path, spec, "version", specField) ?? ""));
            }
        }
    }

    private static string? Text(string path, JsonObject obj, string key, string field) => obj[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
        _ => throw new BuildException(path, $"{field}.{key}", "must be a string"),
    };
}
