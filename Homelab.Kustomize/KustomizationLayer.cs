using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>
/// Builds one folder: accumulates its resources (recursing into sub-kustomizations), runs its
/// generators, then its transformers in kustomize's fixed order.
/// </summary>
internal sealed class KustomizationLayer(RepositoryFiles files, BuildLimits limits)
{
    /// <summary>Name reference rules from every kustomization's <c>configurations</c>; kustomize applies them to the whole build.</summary>
    public List<NameReferenceRule> NameReferenceRules { get; } = [];

    /// <summary>More <c>$(VAR)</c> fields from every kustomization's <c>configurations</c>.</summary>
    public List<FieldSpec> VarReferences { get; } = [];

    /// <summary>The <c>vars</c> of every kustomization, resolved once the whole build is done.</summary>
    public VarSet Vars { get; } = new();

    /// <summary>
    /// The last <c>openapi</c> schema read: kubectl keeps it for the rest of the build (a base's schema governs the
    /// overlay's patches too), in place of the built-in one.
    /// </summary>
    private OpenApiSchema? _schema;

    /// <summary>
    /// Builds a folder. Only the folder being rendered (<paramref name="allowPlain"/>) may lack a kustomization:
    /// Flux generates one there, while kustomize itself refuses kustomization-less folders in <c>resources</c>.
    /// </summary>
    /// <remarks>
    /// With <paramref name="component"/> (a folder listed in <c>components</c>), the listing kustomization's
    /// resources so far: the component adds to them and transforms all of them, in place. The field specs its
    /// <c>configurations</c> (and those of everything it includes) add go into <paramref name="specs"/>, the includer's.
    /// </remarks>
    public List<Resource> BuildFolder(string folder, int depth, List<string> stack, bool allowPlain = false, List<Resource>? component = null, TransformerFieldSpecs? specs = null)
    {
        if (depth > limits.MaxDepth)
        {
            throw new BuildException(folder, null, $"kustomizations nest deeper than {limits.MaxDepth}");
        }
        var canonical = files.Canonical(folder);
        if (stack.Contains(canonical))
        {
            throw new BuildException(folder, null, $"kustomization cycle: {string.Join(" -> ", stack.Select(Relative))} -> {Relative(canonical)}");
        }
        stack.Add(canonical);
        try
        {
            var present = KustomizationFile.FileNames.Where(n => files.IsFile(Join(folder, n))).ToList();
            if (present.Count > 1)
            {
                throw new BuildException(folder, null, $"found multiple kustomization files: {string.Join(", ", present)}");
            }
            if (present.Count == 0 && !allowPlain)
            {
                throw new BuildException(folder, null, $"folder listed in {(component is null ? "resources" : "components")} has no kustomization.yaml, kustomization.yml or Kustomization");
            }
            specs ??= new TransformerFieldSpecs();
            return present.Count == 0 ? BuildPlainFolder(folder, depth, stack, specs) : BuildKustomization(Join(folder, present[0]), folder, depth, stack, allowPlain, component, specs);
        }
        finally
        {
            stack.RemoveAt(stack.Count - 1);
        }
    }

    private string Relative(string canonical) =>
        canonical == files.Root ? "." : Path.GetRelativePath(files.Root, canonical).Replace('\\', '/');

    private List<Resource> BuildKustomization(string file, string folder, int depth, List<string> stack, bool isTop, List<Resource>? component, TransformerFieldSpecs includerSpecs)
    {
        var kustomization = KustomizationFile.Parse(file, folder, files.ReadText(file), limits);
        // A Component only makes sense applied to someone's resources (or rendered on its own, as kubectl allows).
        if (kustomization.IsComponent != (component is not null) && !isTop)
        {
            throw new BuildException(file, "kind", component is null
                ? "a Component cannot be listed in resources; list it in components"
                : "a folder listed in components must hold a kustomization of kind Component");
        }
        _schema = OpenApiSchema.Read(kustomization, files, limits) ?? _schema;
        var resources = component ?? [];
        var known = Index(resources);
        var specs = new TransformerFieldSpecs();

        // Accumulate resources: files and sub-folders, in the order listed; the deprecated 'bases' come after, as in kustomize.
        var entries = kustomization.StringList("resources").Select((e, i) => (Entry: e, Field: $"resources[{i}]"))
            .Concat(kustomization.StringList("bases").Select((e, i) => (Entry: e, Field: $"bases[{i}]")));
        foreach (var (entry, field) in entries)
        {
            if (IsRemote(entry))
            {
                throw new BuildException(file, field, $"remote resource '{entry}' is not supported; vendor it into the repository");
            }
            var relative = files.Resolve(file, folder, entry, field);
            if (files.IsDirectory(relative))
            {
                AddAll(resources, known, BuildFolder(relative, depth + 1, stack, specs: specs), file, field);
            }
            else if (files.IsFile(relative))
            {
                AddAll(resources, known, LoadFile(relative, folder, file), file, field);
            }
            else
            {
                throw new BuildException(file, field, $"'{entry}' does not exist");
            }
        }

        TransformerConfigurations.Read(kustomization, files, limits, NameReferenceRules, VarReferences, specs);

        // Generate ConfigMaps and Secrets, before components, so a component can merge into them (as kustomize orders it).
        var generator = new DataGenerator(kustomization, files);
        AddGenerated(resources, known, generator.Generate("configMapGenerator").ToList(), file);
        AddGenerated(resources, known, generator.Generate("secretGenerator").ToList(), file);

        // Components, in order: each adds to and transforms everything accumulated so far.
        var components = kustomization.StringList("components");
        for (var i = 0; i < components.Count; i++)
        {
            var field = $"components[{i}]";
            if (IsRemote(components[i]))
            {
                throw new BuildException(file, field, $"remote component '{components[i]}' is not supported; vendor it into the repository");
            }
            var relative = files.Resolve(file, folder, components[i], field);
            if (!files.IsDirectory(relative))
            {
                throw new BuildException(file, field, $"'{components[i]}' is not a folder");
            }
            BuildFolder(relative, depth + 1, stack, component: resources, specs: specs);
            known = Index(resources);
        }

        Transform(kustomization, resources, specs);
        RunTransformers(kustomization, resources, depth, stack);
        CheckUnique(resources, file);
        Vars.Declare(kustomization, resources);
        includerSpecs.Merge(specs);
        return resources;
    }

    /// <summary>
    /// The kustomization's transformer fields, in kustomize's order: patches, namespace, prefix/suffix, labels, annotations,
    /// JSON patches, replicas, images, replacements, each at its default fields plus those <paramref name="specs"/> adds.
    /// Built-in transformer configs run through here too, with their own field specs.
    /// </summary>
    private void Transform(KustomizationFile kustomization, List<Resource> resources, TransformerFieldSpecs specs)
    {
        var patches = new PatchTransformer(kustomization, files, limits, _schema);
        patches.ApplyStrategicMergeList(resources);
        patches.ApplyPatches(resources);
        if (kustomization.String("namespace") is { Length: > 0 } ns)
        {
            NamespaceTransformer.Apply(resources, ns, specs.With(NamespaceTransformer.Defaults, "namespace"));
        }
        PrefixSuffixTransformer.Apply(resources, kustomization.String("namePrefix") ?? "", "", specs.With(PrefixSuffixTransformer.Defaults, "namePrefix"));
        PrefixSuffixTransformer.Apply(resources, "", kustomization.String("nameSuffix") ?? "", specs.With(PrefixSuffixTransformer.Defaults, "nameSuffix"));
        ApplyLabels(kustomization, resources, specs);
        MetadataTransformer.Apply(resources, kustomization.StringMap(kustomization.Content["commonAnnotations"], "commonAnnotations"), specs.With(MetadataTransformer.Annotations, "commonAnnotations"));
        patches.ApplyJson6902List(resources);
        ApplyReplicas(kustomization, resources, kustomization.List("replicas"), specs.With(ReplicaCountTransformer.Defaults, "replicas"));
        ApplyImages(kustomization, resources, kustomization.List("images"), specs["images"]);
        new ReplacementTransformer(kustomization, files, limits).Apply(resources);
    }

    /// <summary>
    /// The <c>transformers</c> field, after the built-in fields: each entry a config file, inline YAML, or a folder whose
    /// kustomization renders the configs.
    /// </summary>
    private void RunTransformers(KustomizationFile kustomization, List<Resource> resources, int depth, List<string> stack)
    {
        var entries = kustomization.StringList("transformers");
        var folderName = Path.GetFileName(files.ToAbsolute(kustomization.Directory));
        for (var i = 0; i < entries.Count; i++)
        {
            var field = $"transformers[{i}]";
            var entry = entries[i];
            List<(JsonNode? Config, string File)> configs;
            if (entry.Contains('\n', StringComparison.Ordinal) || entry.TrimStart().StartsWith("apiVersion:", StringComparison.Ordinal))
            {
                configs = [.. new YamlToJson(kustomization.File, limits).ReadDocuments(entry).Where(d => d is not null).Select(d => (d, kustomization.File))];
            }
            else if (IsRemote(entry))
            {
                throw new BuildException(kustomization.File, field, $"remote transformer '{entry}' is not supported; vendor it into the repository");
            }
            else if (files.Resolve(kustomization.File, kustomization.Directory, entry, field) is var path && files.IsDirectory(path))
            {
                configs = [.. BuildFolder(path, depth + 1, stack).Select(r => ((JsonNode?)r.Content, r.Origin))];
            }
            else
            {
                configs = [.. new YamlToJson(path, limits).ReadDocuments(files.ReadText(path)).Where(d => d is not null).Select(d => (d, path))];
            }
            foreach (var (config, origin) in configs)
            {
                var mapping = config as JsonObject ?? throw new BuildException(origin, null, "a transformer config must be a mapping");
                BuiltinTransformers.Apply(kustomization, field, mapping, origin, folderName, resources, (k, r) => Transform(k, r, new TransformerFieldSpecs()));
            }
        }
    }

    private static Dictionary<ResourceId, Resource> Index(List<Resource> resources)
    {
        var known = new Dictionary<ResourceId, Resource>();
        foreach (var resource in resources)
        {
            known.TryAdd(resource.Id, resource);
        }
        return known;
    }

    /// <summary>A folder without kustomization: its YAML files and sub-folders, walked like Flux's generated kustomization.</summary>
    private List<Resource> BuildPlainFolder(string folder, int depth, List<string> stack, TransformerFieldSpecs specs)
    {
        if (depth > limits.MaxDepth)
        {
            throw new BuildException(folder, null, $"folders nest deeper than {limits.MaxDepth}");
        }
        var resources = new List<Resource>();
        var known = new Dictionary<ResourceId, Resource>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(files.ToAbsolute(folder)).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(entry);
            if (RepositoryFiles.IsGitFolder(name))
            {
                continue; // Git's own folder is not part of the tree, as Flux's source ignores ".git/".
            }
            var relative = files.Resolve(folder, folder, name, name);
            if (files.IsDirectory(relative))
            {
                // A sub-folder with its own kustomization is built as such; otherwise its files are included too.
                var hasKustomization = KustomizationFile.FileNames.Any(n => files.IsFile(Join(relative, n)));
                AddAll(resources, known, hasKustomization ? BuildFolder(relative, depth + 1, stack, specs: specs) : BuildPlainFolder(relative, depth + 1, stack, specs), folder, name);
            }
            else if (name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal))
            {
                AddAll(resources, known, LoadFile(relative, folder, folder), folder, name);
            }
        }
        CheckUnique(resources, folder);
        return resources;
    }

    private List<Resource> LoadFile(string file, string scope, string referencedBy)
    {
        var documents = new YamlToJson(file, limits).ReadDocuments(RepositoryFiles.DecodeText(file, files.ReadFiltered(file, FileRole.Resource, referencedBy)));
        var resources = new List<Resource>();
        for (var i = 0; i < documents.Count; i++)
        {
            switch (documents[i])
            {
                case null:
                    continue; // Empty documents ("---" alone, comments only) are skipped, as kustomize does.
                case JsonObject obj when (string?)obj["kind"] == "List" && obj["items"] is JsonArray items:
                    foreach (var item in items)
                    {
                        resources.Add(Validate(item?.DeepClone(), file, i, scope));
                    }
                    break;
                case var other:
                    resources.Add(Validate(other, file, i, scope));
                    break;
            }
        }
        return resources;
    }

    private static Resource Validate(JsonNode? node, string file, int index, string scope)
    {
        var where = $"document {index + 1}";
        if (node is not JsonObject obj)
        {
            throw new BuildException(file, where, "a resource must be a YAML mapping");
        }
        // kubectl kustomize accepts an object without apiVersion (kustomize's own examples have them): group and version are empty.
        if (obj["apiVersion"] is { } apiVersion && apiVersion.GetValueKind() != System.Text.Json.JsonValueKind.String)
        {
            throw new BuildException(file, $"{where}: apiVersion", "must be a string");
        }
        if (obj["kind"] is not JsonValue kind || !kind.TryGetValue<string>(out var k) || k.Length == 0)
        {
            throw new BuildException(file, where, "missing kind");
        }
        if (obj["metadata"] is not JsonObject metadata || metadata["name"] is not JsonValue name || !name.TryGetValue<string>(out var n) || n.Length == 0)
        {
            throw new BuildException(file, where, "missing metadata.name");
        }
        return new Resource(obj, file, scope);
    }

    /// <summary>
    /// Appends <paramref name="more"/>, refusing duplicates. <paramref name="known"/> indexes what
    /// <paramref name="resources"/> already holds, so a folder of n files costs n lookups, not n² comparisons.
    /// </summary>
    private static void AddAll(List<Resource> resources, Dictionary<ResourceId, Resource> known, List<Resource> more, string file, string field)
    {
        foreach (var resource in more)
        {
            if (known.TryGetValue(resource.Id, out var duplicate))
            {
                throw new BuildException(file, field, $"{resource.Id} from {resource.Origin} is already defined in {duplicate.Origin}");
            }
            known.Add(resource.Id, resource);
            resources.Add(resource);
        }
    }

    /// <summary>
    /// Adds generated objects. kustomize finds an existing one by its current or original name: <c>create</c> refuses
    /// it, <c>merge</c> adds the new keys, labels and annotations to it, <c>replace</c> swaps its content; both keep its
    /// name and whether it gets a hash suffix.
    /// </summary>
    private static void AddGenerated(List<Resource> resources, Dictionary<ResourceId, Resource> known, List<GeneratedResource> generated, string file)
    {
        foreach (var (resource, behavior, field) in generated)
        {
            var existing = resources.Find(r => r.Kind == resource.Kind && r.Group == resource.Group && r.Namespace == resource.Namespace
                && (r.Name == resource.Name || r.OriginalName == resource.Name));
            switch (behavior, existing)
            {
                case ("create", null):
                    AddAll(resources, known, [resource], file, field);
                    break;
                case ("create", _):
                    throw new BuildException(file, field, $"{resource.Id} already exists (from {existing.Origin}); use behavior merge or replace");
                case (_, null):
                    throw new BuildException(file, $"{field}.behavior", $"{resource.Id} to {behavior} does not exist");
                case ("merge", _):
                    GeneratedData.Merge(existing.Content, resource.Content);
                    break;
                default:
                    GeneratedData.Replace(existing.Content, resource.Content);
                    break;
            }
        }
    }

    private static void CheckUnique(List<Resource> resources, string file)
    {
        var seen = new Dictionary<ResourceId, Resource>();
        foreach (var resource in resources)
        {
            if (!seen.TryAdd(resource.Id, resource))
            {
                throw new BuildException(file, null, $"{resource.Id} is defined twice (from {seen[resource.Id].Origin} and {resource.Origin})");
            }
        }
    }

    /// <summary>
    /// <c>labels</c> and <c>commonLabels</c>. Configured <c>labels</c> fields take every entry's pairs, configured
    /// <c>commonLabels</c> fields those that include selectors, configured <c>templateLabels</c> those that include
    /// templates (as kubectl v5.5 does).
    /// </summary>
    private static void ApplyLabels(KustomizationFile kustomization, List<Resource> resources, TransformerFieldSpecs specs)
    {
        var entries = kustomization.List("labels");
        for (var i = 0; i < entries.Count; i++)
        {
            var field = $"labels[{i}]";
            var entry = kustomization.Object(entries[i], field);
            kustomization.CheckFields(entry, field, "pairs", "includeSelectors", "includeTemplates");
            var pairs = kustomization.StringMap(entry["pairs"], $"{field}.pairs");
            var selectors = entry["includeSelectors"] is JsonValue s && s.TryGetValue<bool>(out var sb) && sb;
            var templates = entry["includeTemplates"] is JsonValue t && t.TryGetValue<bool>(out var tb) && tb;
            MetadataTransformer.Apply(resources, pairs, selectors ? specs.With(MetadataTransformer.SelectorLabels, "commonLabels", "labels")
                : templates ? specs.With([.. MetadataTransformer.MetadataOnly, .. MetadataTransformer.TemplateLabels], "templateLabels", "labels")
                : specs.With(MetadataTransformer.MetadataOnly, "labels"));
        }
        MetadataTransformer.Apply(resources, kustomization.StringMap(kustomization.Content["commonLabels"], "commonLabels"), specs.With(MetadataTransformer.SelectorLabels, "commonLabels"));
    }

    /// <summary>Replica entries (name, count) at <paramref name="specs"/>: the kustomization's, or a ReplicaCountTransformer's.</summary>
    public static void ApplyReplicas(KustomizationFile kustomization, List<Resource> resources, List<JsonNode?> entries, IReadOnlyList<FieldSpec> specs)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            var field = $"replicas[{i}]";
            var entry = kustomization.Object(entries[i], field);
            kustomization.CheckFields(entry, field, "name", "count");
            var name = kustomization.StringOf(entry["name"], $"{field}.name");
            if (entry["count"] is not JsonValue count || !count.TryGetValue<long>(out var replicas))
            {
                throw new BuildException(kustomization.File, $"{field}.count", "must be an integer");
            }
            ReplicaCountTransformer.Apply(resources, name ?? "", replicas, specs);
        }
    }

    /// <summary>Image entries: the kustomization's, or an ImageTagTransformer's with its extra <paramref name="specs"/>.</summary>
    public static void ApplyImages(KustomizationFile kustomization, List<Resource> resources, List<JsonNode?> entries, IReadOnlyList<FieldSpec> specs)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            var field = $"images[{i}]";
            var entry = kustomization.Object(entries[i], field);
            kustomization.CheckFields(entry, field, "name", "newName", "newTag", "digest");
            var name = kustomization.StringOf(entry["name"], $"{field}.name");
            if (string.IsNullOrEmpty(name))
            {
                throw new BuildException(kustomization.File, $"{field}.name", "an image entry needs a name");
            }
            new ImageTransformer(name,
                kustomization.StringOf(entry["newName"], $"{field}.newName"),
                kustomization.StringOf(entry["newTag"], $"{field}.newTag"),
                kustomization.StringOf(entry["digest"], $"{field}.digest"),
                specs).Apply(resources);
        }
    }

    private static bool IsRemote(string entry) =>
        entry.Contains("://", StringComparison.Ordinal) || entry.StartsWith("github.com/", StringComparison.Ordinal)
        || entry.StartsWith("gitlab.com/", StringComparison.Ordinal) || entry.StartsWith("bitbucket.org/", StringComparison.Ordinal)
        || entry.StartsWith("git@", StringComparison.Ordinal) || entry.Contains("?ref=", StringComparison.Ordinal)
        || entry.Contains(".git//", StringComparison.Ordinal);

    private static string Join(string folder, string name) => folder == "." ? name : $"{folder}/{name}";
}
