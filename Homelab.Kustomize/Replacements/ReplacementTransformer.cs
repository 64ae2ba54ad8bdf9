using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>
/// The <c>replacements</c> field (and the built-in <c>ReplacementTransformer</c>): copies one field of one object into
/// fields of others, each entry inline or a <c>path:</c> to a file holding one replacement or a list of them.
/// </summary>
internal sealed class ReplacementTransformer(KustomizationFile kustomization, RepositoryFiles files, BuildLimits limits)
{
    private const string DefaultFieldPath = "metadata.name";

    public void Apply(List<Resource> resources)
    {
        var entries = kustomization.List("replacements");
        for (var i = 0; i < entries.Count; i++)
        {
            var field = $"replacements[{i}]";
            var entry = kustomization.Object(entries[i], field);
            if (entry["path"] is not { } path)
            {
                ApplyOne(kustomization, entry, field, resources);
                continue;
            }
            kustomization.CheckFields(entry, field, "path");
            var file = files.Resolve(kustomization.File, kustomization.Directory, kustomization.StringOf(path, $"{field}.path") ?? "", $"{field}.path");
            // The file's own errors name the file, so it reads through a kustomization of its own.
            var source = KustomizationFile.Synthetic(file, kustomization.Directory, []);
            foreach (var document in new YamlToJson(file, limits).ReadDocuments(files.ReadText(file)).Where(d => d is not null))
            {
                var replacements = document as JsonArray ?? [document!.DeepClone()];
                for (var j = 0; j < replacements.Count; j++)
                {
                    ApplyOne(source, source.Object(replacements[j], $"[{j}]"), $"[{j}]", resources);
                }
            }
        }
    }

    private static void ApplyOne(KustomizationFile owner, JsonObject replacement, string field, List<Resource> resources)
    {
        owner.CheckFields(replacement, field, "source", "targets");
        var value = SourceValue(owner, owner.Object(replacement["source"], $"{field}.source"), $"{field}.source", resources);
        var targets = replacement["targets"] as JsonArray ?? throw new BuildException(owner.File, $"{field}.targets", "must be a list");
        for (var i = 0; i < targets.Count; i++)
        {
            var targetField = $"{field}.targets[{i}]";
            var target = owner.Object(targets[i], targetField);
            owner.CheckFields(target, targetField, "select", "reject", "fieldPaths", "options");
            var select = new ReplacementSelector(owner, owner.Object(target["select"] ?? throw new BuildException(owner.File, $"{targetField}.select", "a target must select objects"), $"{targetField}.select"), $"{targetField}.select", true);
            var rejects = (target["reject"] is null ? [] : target["reject"] as JsonArray ?? throw new BuildException(owner.File, $"{targetField}.reject", "must be a list"))
                .Select((r, j) => new ReplacementSelector(owner, owner.Object(r, $"{targetField}.reject[{j}]"), $"{targetField}.reject[{j}]", true)).ToList();
            var paths = target["fieldPaths"] is null ? [DefaultFieldPath]
                : (target["fieldPaths"] as JsonArray ?? throw new BuildException(owner.File, $"{targetField}.fieldPaths", "must be a list"))
                    .Select((p, j) => owner.StringOf(p, $"{targetField}.fieldPaths[{j}]") ?? throw new BuildException(owner.File, $"{targetField}.fieldPaths[{j}]", "must be a string")).ToList();
            var options = ReplacementOptions.Read(owner, target["options"], $"{targetField}.options");
            foreach (var resource in resources.Where(r => select.Matches(r) && !rejects.Exists(x => x.Matches(r))))
            {
                foreach (var path in paths)
                {
                    var slots = Find(owner, resource, path, options.Create, $"{targetField}.fieldPaths");
                    if (slots.Count == 0)
                    {
                        throw new BuildException(owner.File, $"{targetField}.fieldPaths", $"unable to {(options.Create ? "find or create" : "find")} field '{path}' in replacement target {resource.Id}");
                    }
                    foreach (var slot in slots)
                    {
                        slot.Value = NewValue(owner, slot, value, options, $"{targetField}.options");
                    }
                }
            }
        }
    }

    private static JsonNode SourceValue(KustomizationFile owner, JsonObject source, string field, List<Resource> resources)
    {
        var selector = new ReplacementSelector(owner, source, field, false);
        var matches = resources.Where(selector.Matches).ToList();
        if (matches.Count != 1)
        {
            throw new BuildException(owner.File, field, matches.Count == 0
                ? $"nothing selected by replacement source {selector}"
                : $"replacement source {selector} selects {matches.Count} objects ({string.Join(", ", matches.Select(m => m.Id))}); it must select one");
        }
        var path = owner.StringOf(source["fieldPath"], $"{field}.fieldPath") ?? DefaultFieldPath;
        var value = Find(owner, matches[0], path, false, $"{field}.fieldPath").Select(s => s.Value).FirstOrDefault(v => v is not null)
            ?? throw new BuildException(owner.File, $"{field}.fieldPath", $"'{path}' is missing in replacement source {matches[0].Id}");
        var options = ReplacementOptions.Read(owner, source["options"], $"{field}.options");
        if (options.Delimiter is null)
        {
            return value.DeepClone();
        }
        var parts = ScalarText(owner, value, $"{field}.options.delimiter").Split(options.Delimiter);
        if (options.Index < 0 || options.Index >= parts.Length)
        {
            throw new BuildException(owner.File, $"{field}.options.index", $"index {options.Index} is out of bounds for value '{ScalarText(owner, value, field)}'");
        }
        return Retyped(value, parts[options.Index]) ?? JsonValue.Create(parts[options.Index]);
    }

    /// <summary>
    /// What a target field becomes. A scalar keeps its type where the new text allows (kustomize replaces the text and
    /// keeps the tag: a string stays a string, a number takes a number); a created field reads the text as plain YAML.
    /// </summary>
    private static JsonNode? NewValue(KustomizationFile owner, FieldSlot slot, JsonNode value, ReplacementOptions options, string field)
    {
        var current = slot.Created ? null : slot.Value;
        if (options.Delimiter is not null)
        {
            if (current is not (JsonValue or null))
            {
                throw new BuildException(owner.File, $"{field}.delimiter", "a delimiter can only be used on scalar fields");
            }
            var parts = (current is JsonValue c ? ReplacementPath.Text(c) : "").Split(options.Delimiter).ToList();
            var text = ScalarText(owner, value, $"{field}.delimiter");
            if (options.Index < 0)
            {
                parts.Insert(0, text);
            }
            else if (options.Index >= parts.Count)
            {
                parts.Add(text);
            }
            else
            {
                parts[options.Index] = text;
            }
            value = JsonValue.Create(string.Join(options.Delimiter, parts));
        }
        return (current, value) switch
        {
            (JsonValue existing, JsonValue v) => Retyped(existing, ReplacementPath.Text(v)),
            (null, JsonValue v) => YamlToJson.ToNode(YamlToJson.ResolvePlain(ReplacementPath.Text(v)), ReplacementPath.Text(v)),
            _ => value.DeepClone(),
        };
    }

    /// <summary><paramref name="text"/> with the type of <paramref name="like"/>: a string stays one, anything else reads as plain YAML.</summary>
    private static JsonValue? Retyped(JsonNode like, string text) =>
        like.GetValueKind() == System.Text.Json.JsonValueKind.String ? JsonValue.Create(text) : YamlToJson.ToNode(YamlToJson.ResolvePlain(text), text);

    private static string ScalarText(KustomizationFile owner, JsonNode value, string field) =>
        value is JsonValue v ? ReplacementPath.Text(v) : throw new BuildException(owner.File, field, "a delimiter can only be used on scalar values");

    private static List<FieldSlot> Find(KustomizationFile owner, Resource resource, string path, bool create, string field)
    {
        try
        {
            return ReplacementPath.Find(resource.Content, path, create);
        }
        catch (InvalidOperationException e)
        {
            throw new BuildException(owner.File, field, $"'{path}' in {resource.Id}: {e.Message}", e);
        }
    }
}
