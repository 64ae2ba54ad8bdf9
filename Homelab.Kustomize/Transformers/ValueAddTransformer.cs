using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>
/// The built-in <c>ValueAddTransformer</c>: writes a value (by default the name of the folder of the kustomization that
/// lists it) into each target's slash-separated <c>fieldPath</c>, creating it; with <c>filePathPosition</c> N the field is
/// taken as a slash-separated path and the value becomes its Nth element.
/// </summary>
internal static class ValueAddTransformer
{
    public static void Apply(KustomizationFile config, JsonObject content, string defaultValue, List<Resource> resources)
    {
        config.CheckFields(content, "ValueAddTransformer", "apiVersion", "kind", "metadata", "value", "targets");
        var value = config.StringOf(content["value"], "value") ?? defaultValue;
        var targets = content["targets"] as JsonArray ?? throw new BuildException(config.File, "targets", "must be a list");
        for (var i = 0; i < targets.Count; i++)
        {
            var field = $"targets[{i}]";
            var target = config.Object(targets[i], field);
            config.CheckFields(target, field, "selector", "fieldPath", "filePathPosition");
            var selector = target["selector"] is { } s ? new PatchTarget(config, config.Object(s, $"{field}.selector"), $"{field}.selector") : null;
            var path = config.StringOf(target["fieldPath"], $"{field}.fieldPath");
            if (string.IsNullOrEmpty(path) || FieldPaths.TooLong(path, '/'))
            {
                throw new BuildException(config.File, $"{field}.fieldPath", $"required, with at most {FieldPaths.MaxSegments} segments");
            }
            var position = target["filePathPosition"] switch
            {
                null => 0,
                JsonValue v when v.TryGetValue<long>(out var p) && p is >= 0 and <= int.MaxValue => (int)p,
                _ => throw new BuildException(config.File, $"{field}.filePathPosition", "must be a whole number"),
            };
            foreach (var resource in resources.Where(r => selector is null || selector.Matches(r)))
            {
                FieldPaths.Visit(resource.Content, path, true, (parent, key) => parent[key] = position == 0 ? value : Insert(parent[key], value, position));
            }
        }
    }

    private static string Insert(JsonNode? current, string value, int position)
    {
        var parts = current is JsonValue v && ReplacementPath.Text(v) is { Length: > 0 } text ? text.Split('/').ToList() : [];
        parts.Insert(Math.Min(position - 1, parts.Count), value);
        return string.Join('/', parts);
    }
}
