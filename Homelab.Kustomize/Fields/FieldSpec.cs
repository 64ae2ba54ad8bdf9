using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>A field kustomize writes into, for objects of a given group and kind (empty matches any).</summary>
internal sealed record FieldSpec(string Path, bool Create, string Kind = "", string Group = "", string Version = "")
{
    public bool Selects(Resource resource) =>
        (Kind.Length == 0 || Kind == resource.Kind)
        && (Group.Length == 0 || Group == resource.Group)
        && (Version.Length == 0 || Version == resource.Version);

    /// <summary>Reads a <c>fieldSpecs</c> list (path, create, kind, group, version) as configurations and transformer configs write it.</summary>
    public static List<FieldSpec> ReadList(KustomizationFile owner, JsonNode? node, string field)
    {
        var specs = node switch
        {
            null => [],
            JsonArray array => array,
            _ => throw new BuildException(owner.File, field, "must be a list"),
        };
        var result = new List<FieldSpec>();
        for (var i = 0; i < specs.Count; i++)
        {
            var specField = $"{field}[{i}]";
            var spec = owner.Object(specs[i], specField);
            owner.CheckFields(spec, specField, "path", "create", "kind", "group", "version");
            var path = owner.StringOf(spec["path"], $"{specField}.path");
            if (string.IsNullOrEmpty(path))
            {
                throw new BuildException(owner.File, $"{specField}.path", "required");
            }
            if (FieldPaths.TooLong(path, '/'))
            {
                throw new BuildException(owner.File, $"{specField}.path", $"more than {FieldPaths.MaxSegments} segments");
            }
            var create = spec["create"] switch
            {
                null => false,
                JsonValue v when v.TryGetValue<bool>(out var b) => b,
                _ => throw new BuildException(owner.File, $"{specField}.create", "must be true or false"),
            };
            result.Add(new FieldSpec(path, create, owner.StringOf(spec["kind"], $"{specField}.kind") ?? "",
                owner.StringOf(spec["group"], $"{specField}.group") ?? "", owner.StringOf(spec["version"], $"{specField}.version") ?? ""));
        }
        return result;
    }
}
