using System.Text;
using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>
/// The legacy <c>vars</c>: each kustomization names objects (<c>objref</c>) and a field of them (<c>fieldref</c>,
/// <c>metadata.name</c> by default); once the whole build is done, <c>$(NAME)</c> in the var-reference fields is replaced
/// by that field's final value. As in kustomize: the object is found when the var's kustomization is built, by exact
/// apiVersion and kind and any name it carried; a var named twice is an error; an unknown <c>$(NAME)</c> stays as written
/// and <c>$$</c> escapes a <c>$</c>.
/// </summary>
internal sealed class VarSet
{
    private readonly List<(string Name, string Path, Resource? Target, string File, string Field)> _vars = [];

    /// <summary>Reads the kustomization's <c>vars</c> and binds each to its object among <paramref name="resources"/>.</summary>
    public void Declare(KustomizationFile kustomization, List<Resource> resources)
    {
        var entries = kustomization.List("vars");
        for (var i = 0; i < entries.Count; i++)
        {
            var field = $"vars[{i}]";
            var entry = kustomization.Object(entries[i], field);
            kustomization.CheckFields(entry, field, "name", "objref", "fieldref");
            var name = kustomization.StringOf(entry["name"], $"{field}.name");
            if (string.IsNullOrEmpty(name))
            {
                throw new BuildException(kustomization.File, $"{field}.name", "a var needs a name");
            }
            if (_vars.Exists(v => v.Name == name))
            {
                throw new BuildException(kustomization.File, $"{field}.name", $"var '{name}' is already defined in {_vars.Find(v => v.Name == name).File}");
            }
            var objref = kustomization.Object(entry["objref"], $"{field}.objref");
            kustomization.CheckFields(objref, $"{field}.objref", "apiVersion", "group", "version", "kind", "name", "namespace");
            var apiVersion = kustomization.StringOf(objref["apiVersion"], $"{field}.objref.apiVersion") ?? "";
            var group = kustomization.StringOf(objref["group"], $"{field}.objref.group") ?? ApiVersionParts.GroupOf(apiVersion);
            var version = kustomization.StringOf(objref["version"], $"{field}.objref.version") ?? (apiVersion.Length == 0 ? "" : ApiVersionParts.VersionOf(apiVersion));
            var kind = kustomization.StringOf(objref["kind"], $"{field}.objref.kind") ?? "";
            var objectName = kustomization.StringOf(objref["name"], $"{field}.objref.name") ?? "";
            var ns = kustomization.StringOf(objref["namespace"], $"{field}.objref.namespace") ?? "";
            var path = "metadata.name";
            if (entry["fieldref"] is { } fieldref)
            {
                var fieldrefObject = kustomization.Object(fieldref, $"{field}.fieldref");
                kustomization.CheckFields(fieldrefObject, $"{field}.fieldref", "fieldpath", "fieldPath");
                path = kustomization.StringOf(fieldrefObject["fieldpath"] ?? fieldrefObject["fieldPath"], $"{field}.fieldref.fieldpath") ?? path;
            }
            // The namespace counts when given, or when the kind cannot have one.
            var withNamespace = ns.Length > 0 || KindRules.IsClusterScoped(kind);
            var matches = resources.Where(r => r.Group == group && r.Version == version && r.Kind == kind && r.HadName(objectName)
                && (!withNamespace || KindRules.SameNamespace(ns, r.Namespace) || KindRules.SameNamespace(ns, r.OriginalNamespace))).ToList();
            if (matches.Count > 1)
            {
                throw new BuildException(kustomization.File, $"{field}.objref", $"var '{name}' matches {matches.Count} objects ({string.Join(", ", matches.Select(m => m.Id))}); add a namespace");
            }
            _vars.Add((name, path, matches.FirstOrDefault(), kustomization.File, field));
        }
    }

    /// <summary>Substitutes every var in the default and configured var-reference fields of the final objects.</summary>
    public void Resolve(List<Resource> resources, IEnumerable<FieldSpec> configured)
    {
        if (_vars.Count == 0)
        {
            return;
        }
        var values = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var (name, path, target, file, field) in _vars)
        {
            if (target is null)
            {
                throw new BuildException(file, $"{field}.objref", $"var '{name}' names no object of the build (objref compares apiVersion, kind and name exactly)");
            }
            List<FieldSlot> slots;
            try
            {
                slots = ReplacementPath.Find(target.Content, IndexesAsSegments(path), false);
            }
            catch (InvalidOperationException e)
            {
                throw new BuildException(file, $"{field}.fieldref", $"var '{name}': '{path}' in {target.Id}: {e.Message}", e);
            }
            values[name] = slots.Select(s => s.Value).FirstOrDefault(v => v is not null)?.DeepClone()
                ?? throw new BuildException(file, $"{field}.fieldref", $"var '{name}': {target.Id} has no field '{path}'");
        }
        var specs = VarReferenceFields.Defaults.Concat(configured).ToList();
        foreach (var resource in resources)
        {
            foreach (var spec in specs.Where(s => s.Selects(resource)))
            {
                FieldPaths.Visit(resource.Content, spec.Path, false, (parent, key) => parent[key] = Substitute(parent[key], values));
            }
        }
    }

    /// <summary>kustomize's var paths write indexes Go-style ("ports[0].port"); the replacement paths want "ports.0.port".</summary>
    private static string IndexesAsSegments(string path)
    {
        var result = new StringBuilder(path.Length + 4);
        for (var i = 0; i < path.Length; i++)
        {
            var close = path[i] == '[' ? path.IndexOf(']', i) : -1;
            if (close > i + 1 && path[(i + 1)..close].All(char.IsAsciiDigit))
            {
                result.Append('.').Append(path, i + 1, close - i - 1);
                i = close;
                continue;
            }
            result.Append(path[i]);
        }
        return result.ToString();
    }

    private static JsonNode? Substitute(JsonNode? node, Dictionary<string, JsonNode> values)
    {
        switch (node)
        {
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String:
                return Expand(v.GetValue<string>(), values);
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    array[i] = Substitute(array[i], values);
                }
                return array;
            case JsonObject map:
                foreach (var (key, value) in map.ToList())
                {
                    map[key] = Substitute(value, values);
                }
                return map;
            default:
                return node;
        }
    }

    /// <summary>
    /// Kubernetes-style expansion: <c>$(NAME)</c> is replaced, <c>$$</c> is a literal <c>$</c>, anything else stays. A string that is
    /// exactly one reference takes the value with its type (a port stays a number), as kustomize does.
    /// </summary>
    private static JsonNode Expand(string input, Dictionary<string, JsonNode> values)
    {
        var output = new StringBuilder(input.Length);
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] != '$' || i + 1 == input.Length)
            {
                output.Append(input[i]);
                continue;
            }
            var next = input[i + 1];
            var close = next == '(' ? input.IndexOf(')', i + 2) : -1;
            if (next == '$')
            {
                output.Append('$');
                i++;
            }
            else if (close > 0 && values.TryGetValue(input[(i + 2)..close], out var value))
            {
                if (i == 0 && close == input.Length - 1)
                {
                    return value.DeepClone();
                }
                output.Append(value is JsonValue scalar ? ReplacementPath.Text(scalar) : value.ToJsonString());
                i = close;
            }
            else if (close > 0)
            {
                output.Append(input, i, close - i + 1);
                i = close;
            }
            else
            {
                output.Append('$').Append(next);
                i++;
            }
        }
        return JsonValue.Create(output.ToString());
    }
}
