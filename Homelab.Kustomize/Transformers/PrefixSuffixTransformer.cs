namespace Homelab.Kustomize;

/// <summary>Applies <c>namePrefix</c>/<c>nameSuffix</c> (or a <c>PrefixSuffixTransformer</c> config) at its field specs.</summary>
internal static class PrefixSuffixTransformer
{
    public static readonly FieldSpec[] Defaults = [new("metadata/name", false)];

    public static void Apply(IEnumerable<Resource> resources, string prefix, string suffix, IReadOnlyList<FieldSpec> specs)
    {
        if (prefix.Length == 0 && suffix.Length == 0)
        {
            return;
        }
        // kustomize never renames Namespaces, CRDs and APIServices: their names are fixed by the API.
        foreach (var resource in resources.Where(r => r.Kind is not ("Namespace" or "CustomResourceDefinition")
                     && !(r.Kind == "APIService" && r.Group == "apiregistration.k8s.io")))
        {
            foreach (var spec in specs.Where(s => s.Selects(resource)))
            {
                if (spec.Path == "metadata/name")
                {
                    resource.Name = prefix + resource.Name + suffix;
                    continue;
                }
                FieldPaths.Visit(resource.Content, spec.Path, spec.Create, (p, k) =>
                {
                    if (p[k] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        p[k] = prefix + text + suffix;
                    }
                });
            }
        }
    }
}
