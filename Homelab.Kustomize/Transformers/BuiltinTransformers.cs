using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>
/// The <c>transformers</c> field with kustomize's built-in transformer configs (<c>apiVersion: builtin</c>). A config that
/// a kustomization field also expresses (PatchTransformer is a <c>patches</c> entry, ImageTagTransformer an <c>images</c>
/// entry…) runs through that field's code; label, annotation, namespace and prefix/suffix configs use their own field
/// specs. Exec and container plugins are refused.
/// </summary>
internal static class BuiltinTransformers
{
    /// <summary>
    /// Runs one config against <paramref name="resources"/>; <paramref name="transform"/> runs a kustomization's transformer
    /// fields, <paramref name="folderName"/> is the listing kustomization's folder (ValueAddTransformer's default value).
    /// </summary>
    public static void Apply(KustomizationFile kustomization, string field, JsonObject config, string configFile, string folderName, List<Resource> resources, Action<KustomizationFile, List<Resource>> transform)
    {
        var apiVersion = config["apiVersion"]?.ToString() ?? "";
        var kind = config["kind"]?.ToString() ?? "";
        if (apiVersion != "builtin" || (FieldPaths.Get(config, "metadata/annotations") as JsonObject)?["config.kubernetes.io/function"] is not null)
        {
            throw new BuildException(kustomization.File, field, $"{apiVersion}/{kind} is a transformer plugin (exec or container function), not supported by this renderer");
        }
        // Relative paths in a config resolve from the listing kustomization, as kustomize loads them.
        var owner = KustomizationFile.Synthetic(configFile, kustomization.Directory, []);
        switch (kind)
        {
            case "LabelTransformer" or "AnnotationsTransformer":
                var key = kind == "LabelTransformer" ? "labels" : "annotations";
                owner.CheckFields(config, kind, "apiVersion", "kind", "metadata", key, "fieldSpecs");
                MetadataTransformer.Apply(resources, Strings(owner, config[key], key), FieldSpec.ReadList(owner, config["fieldSpecs"], "fieldSpecs"));
                break;
            case "NamespaceTransformer":
                owner.CheckFields(config, kind, "apiVersion", "kind", "metadata", "fieldSpecs");
                var ns = owner.StringOf(FieldPaths.Get(config, "metadata/namespace"), "metadata.namespace");
                if (!string.IsNullOrEmpty(ns))
                {
                    NamespaceTransformer.Apply(resources, ns, FieldSpec.ReadList(owner, config["fieldSpecs"], "fieldSpecs"));
                }
                break;
            case "PrefixSuffixTransformer" or "PrefixTransformer" or "SuffixTransformer":
                owner.CheckFields(config, kind, "apiVersion", "kind", "metadata", "prefix", "suffix", "fieldSpecs");
                PrefixSuffixTransformer.Apply(resources, owner.StringOf(config["prefix"], "prefix") ?? "", owner.StringOf(config["suffix"], "suffix") ?? "",
                    FieldSpec.ReadList(owner, config["fieldSpecs"], "fieldSpecs"));
                break;
            case "ReplicaCountTransformer":
                owner.CheckFields(config, kind, "apiVersion", "kind", "metadata", "replica", "fieldSpecs");
                var specs = FieldSpec.ReadList(owner, config["fieldSpecs"], "fieldSpecs");
                if (specs.Count == 0)
                {
                    throw new BuildException(configFile, "fieldSpecs", "a ReplicaCountTransformer needs fieldSpecs (kubectl finds no field without them)");
                }
                KustomizationLayer.ApplyReplicas(owner, resources, [config["replica"]], specs);
                break;
            case "ImageTagTransformer":
                owner.CheckFields(config, kind, "apiVersion", "kind", "metadata", "imageTag", "fieldSpecs");
                KustomizationLayer.ApplyImages(owner, resources, [config["imageTag"]], FieldSpec.ReadList(owner, config["fieldSpecs"], "fieldSpecs"));
                break;
            case "ValueAddTransformer":
                ValueAddTransformer.Apply(owner, config, folderName, resources);
                break;
            default:
                transform(AsKustomization(owner, kind, config), resources);
                break;
        }
    }

    /// <summary>The kustomization field a config stands for.</summary>
    private static KustomizationFile AsKustomization(KustomizationFile owner, string kind, JsonObject config)
    {
        JsonNode? Take(string name) => config[name]?.DeepClone();
        JsonObject content;
        switch (kind)
        {
            case "PatchTransformer":
                owner.CheckFields(config, kind, "apiVersion", "kind", "metadata", "patch", "path", "target");
                var patch = new JsonObject { ["patch"] = Take("patch"), ["path"] = Take("path"), ["target"] = Take("target") };
                content = new JsonObject { ["patches"] = new JsonArray(Compact(patch)) };
                break;
            case "PatchStrategicMergeTransformer":
                owner.CheckFields(config, kind, "apiVersion", "kind", "metadata", "paths", "patches");
                var list = Take("paths") as JsonArray ?? [];
                if (Take("patches") is { } inline)
                {
                    list.Add(inline);
                }
                content = new JsonObject { ["patchesStrategicMerge"] = list };
                break;
            case "PatchJson6902Transformer":
                owner.CheckFields(config, kind, "apiVersion", "kind", "metadata", "target", "path", "jsonOp");
                var json = new JsonObject { ["target"] = Take("target"), ["path"] = Take("path"), ["patch"] = Take("jsonOp") };
                content = new JsonObject { ["patchesJson6902"] = new JsonArray(Compact(json)) };
                break;
            case "ReplacementTransformer":
                owner.CheckFields(config, kind, "apiVersion", "kind", "metadata", "replacements");
                content = new JsonObject { ["replacements"] = Take("replacements") };
                break;
            default:
                throw new BuildException(owner.File, "kind", $"'{kind}' is not a built-in transformer this renderer runs");
        }
        return KustomizationFile.Synthetic(owner.File, owner.Directory, content);
    }

    private static JsonObject Compact(JsonObject entry)
    {
        foreach (var (key, value) in entry.ToList())
        {
            if (value is null)
            {
                entry.Remove(key);
            }
        }
        return entry;
    }

    /// <summary>Plugin configs decode into string maps through YAML, so <c>area: 51</c> is the label value "51".</summary>
    private static Dictionary<string, string> Strings(KustomizationFile owner, JsonNode? node, string field) => node switch
    {
        null => [],
        JsonObject map => map.ToDictionary(p => p.Key, p => p.Value switch
        {
            null => "",
            JsonValue v => ReplacementPath.Text(v),
            _ => throw new BuildException(owner.File, $"{field}.{p.Key}", "must be a string"),
        }, StringComparer.Ordinal),
        _ => throw new BuildException(owner.File, field, "must be a map of strings"),
    };
}
