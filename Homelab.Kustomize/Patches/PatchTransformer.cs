using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>Applies <c>patchesStrategicMerge</c>, <c>patches</c> and <c>patchesJson6902</c> of one kustomization.</summary>
/// <remarks>With an <c>openapi</c> schema in the build (<paramref name="schema"/>), strategic merges follow it alone.</remarks>
internal sealed class PatchTransformer(KustomizationFile kustomization, RepositoryFiles files, BuildLimits limits, OpenApiSchema? schema)
{
    /// <summary>The <c>patches</c> field: inline or file, strategic merge or JSON 6902, with an optional target.</summary>
    public void ApplyPatches(List<Resource> resources)
    {
        var entries = kustomization.List("patches");
        for (var i = 0; i < entries.Count; i++)
        {
            var field = $"patches[{i}]";
            var entry = kustomization.Object(entries[i], field);
            // "options" (allowNameChange/allowKindChange) is refused: renaming through patches is not supported.
            kustomization.CheckFields(entry, field, "patch", "path", "target");
            var (source, text) = ReadPatch(entry, field);
            var target = entry["target"] is { } t ? new PatchTarget(kustomization, kustomization.Object(t, $"{field}.target"), $"{field}.target") : null;
            var documents = Parse(source, text, field);
            if (documents.Count == 1 && documents[0] is JsonArray operations)
            {
                if (target is null)
                {
                    throw new BuildException(kustomization.File, field, "a JSON 6902 patch needs a target");
                }
                ApplyJson6902(resources, target, operations, source);
                continue;
            }
            foreach (var document in documents)
            {
                var patch = document as JsonObject ?? throw new BuildException(source, field, "a patch must be a mapping or a list of JSON 6902 operations");
                if (target is null)
                {
                    ApplyByIdentity(resources, patch, source, field);
                }
                else
                {
                    // With a target the patch's own kind and name are only placeholders (kustomize ignores them).
                    foreach (var index in Matching(resources, target))
                    {
                        Replace(resources, index, Merge(resources[index], Untyped(patch), source, field));
                    }
                }
            }
        }
    }

    /// <summary>The deprecated <c>patchesStrategicMerge</c> list: file paths or inline YAML.</summary>
    public void ApplyStrategicMergeList(List<Resource> resources)
    {
        var entries = kustomization.StringList("patchesStrategicMerge");
        for (var i = 0; i < entries.Count; i++)
        {
            var field = $"patchesStrategicMerge[{i}]";
            var entry = entries[i];
            var inline = entry.Contains('\n', StringComparison.Ordinal) || entry.TrimStart().StartsWith("apiVersion:", StringComparison.Ordinal);
            var source = inline ? kustomization.File : files.Resolve(kustomization.File, kustomization.Directory, entry, field);
            var text = inline ? entry : files.ReadText(source);
            foreach (var document in Parse(source, text, field))
            {
                ApplyByIdentity(resources, document as JsonObject ?? throw new BuildException(source, field, "a strategic merge patch must be a mapping"), source, field);
            }
        }
    }

    /// <summary>The deprecated <c>patchesJson6902</c> list: target plus path or inline patch.</summary>
    public void ApplyJson6902List(List<Resource> resources)
    {
        var entries = kustomization.List("patchesJson6902");
        for (var i = 0; i < entries.Count; i++)
        {
            var field = $"patchesJson6902[{i}]";
            var entry = kustomization.Object(entries[i], field);
            kustomization.CheckFields(entry, field, "patch", "path", "target");
            var (source, text) = ReadPatch(entry, field);
            var target = new PatchTarget(kustomization, kustomization.Object(entry["target"], $"{field}.target"), $"{field}.target");
            var documents = Parse(source, text, field);
            if (documents.Count != 1 || documents[0] is not JsonArray operations)
            {
                throw new BuildException(source, field, "a JSON 6902 patch must be one list of operations");
            }
            ApplyJson6902(resources, target, operations, source);
        }
    }

    private static void ApplyJson6902(List<Resource> resources, PatchTarget target, JsonArray operations, string source)
    {
        foreach (var index in Matching(resources, target))
        {
            var resource = resources[index];
            resource.Content = JsonPatch.Apply(resource.Content, operations,
                m => new BuildException(source, null, $"JSON 6902 patch on {resource.Id}: {m}"));
        }
    }

    private void ApplyByIdentity(List<Resource> resources, JsonObject patch, string source, string field)
    {
        var kind = (string?)patch["kind"];
        var name = FieldPaths.Get(patch, "metadata/name")?.ToString();
        var ns = FieldPaths.Get(patch, "metadata/namespace")?.ToString();
        var apiVersion = (string?)patch["apiVersion"];
        var matches = Enumerable.Range(0, resources.Count).Where(i =>
            resources[i].Kind == kind
            && (resources[i].Name == name || resources[i].OriginalName == name)
            && (ns is null || resources[i].Namespace == ns)
            && (apiVersion is null || resources[i].ApiVersion == apiVersion)).ToList();
        if (matches.Count == 0)
        {
            // kubectl kustomize fails here too: a patch that finds nothing is almost always a typo.
            throw new BuildException(source, field, $"no resource matches strategic merge patch for {kind} {name}");
        }
        if (matches.Count > 1)
        {
            throw new BuildException(source, field, $"strategic merge patch for {kind} {name} matches {matches.Count} resources; add a namespace");
        }
        Replace(resources, matches[0], Merge(resources[matches[0]], Untyped(patch), source, field));
    }

    private JsonObject? Merge(Resource resource, JsonObject patch, string source, string field) =>
        StrategicMergePatch.Apply(resource.Content, patch, KindRules.HasSchema(resource), m => Fail(source, field, m), schema, schema?.Root(resource));

    private static void Replace(List<Resource> resources, int index, JsonObject? patched)
    {
        if (patched is null)
        {
            // "$patch: delete" at the top removes the object entirely.
            resources[index] = null!;
            resources.RemoveAll(r => r is null);
            return;
        }
        resources[index].Content = patched;
    }

    /// <summary>A patch applied by target must not rename or re-kind its targets through its placeholder identity.</summary>
    private static JsonObject Untyped(JsonObject patch)
    {
        var copy = (JsonObject)patch.DeepClone();
        copy.Remove("apiVersion");
        copy.Remove("kind");
        if (copy["metadata"] is JsonObject metadata)
        {
            metadata.Remove("name");
            metadata.Remove("namespace");
            if (metadata.Count == 0)
            {
                copy.Remove("metadata");
            }
        }
        return copy;
    }

    private static List<int> Matching(List<Resource> resources, PatchTarget target) =>
        [.. Enumerable.Range(0, resources.Count).Where(i => target.Matches(resources[i]))];

    private (string Source, string Text) ReadPatch(JsonObject entry, string field)
    {
        var inline = kustomization.StringOf(entry["patch"], $"{field}.patch");
        var path = kustomization.StringOf(entry["path"], $"{field}.path");
        if ((inline is null) == (path is null))
        {
            throw new BuildException(kustomization.File, field, "exactly one of 'patch' and 'path' is required");
        }
        if (inline is not null)
        {
            return (kustomization.File, inline);
        }
        var relative = files.Resolve(kustomization.File, kustomization.Directory, path!, $"{field}.path");
        return (relative, files.ReadText(relative));
    }

    private List<JsonNode?> Parse(string source, string text, string field)
    {
        var documents = new YamlToJson(source, limits).ReadDocuments(text).Where(d => d is not null).ToList();
        return documents.Count == 0 ? throw new BuildException(source, field, "empty patch") : documents;
    }

    private static BuildException Fail(string source, string field, string message) => new(source, field, message);
}
