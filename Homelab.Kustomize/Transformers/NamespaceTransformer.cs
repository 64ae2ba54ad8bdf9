using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>
/// Applies <c>namespace</c> (or a <c>NamespaceTransformer</c> config): namespaced objects (and unknown kinds, which
/// kustomize assumes namespaced) move to it, Namespace objects are renamed to it, and "default" ServiceAccount
/// subjects of role bindings follow, exactly as kubectl kustomize does.
/// </summary>
internal static class NamespaceTransformer
{
    /// <summary>kustomize's default namespace field specs, used by the <c>namespace</c> field.</summary>
    public static readonly FieldSpec[] Defaults =
    [
        new("metadata/namespace", true),
        new("metadata/name", true, "Namespace"),
        new("spec/service/namespace", true, "APIService", "apiregistration.k8s.io"),
        new("spec/conversion/webhook/clientConfig/service/namespace", false, "CustomResourceDefinition", "apiextensions.k8s.io"),
    ];

    public static void Apply(IEnumerable<Resource> resources, string ns, IReadOnlyList<FieldSpec> specs)
    {
        foreach (var resource in resources)
        {
            foreach (var spec in specs.Where(s => s.Selects(resource)))
            {
                switch (spec.Path)
                {
                    case "metadata/namespace":
                        if (!KindRules.IsClusterScoped(resource.Kind))
                        {
                            resource.Metadata["namespace"] = ns;
                        }
                        break;
                    case "metadata/name" when resource.Kind == "Namespace":
                        resource.Name = ns;
                        break;
                    default:
                        FieldPaths.Visit(resource.Content, spec.Path, spec.Create, (p, k) => p[k] = ns);
                        break;
                }
            }
            if (resource.Kind is "RoleBinding" or "ClusterRoleBinding" && resource.Content["subjects"] is JsonArray subjects)
            {
                foreach (var subject in subjects.OfType<JsonObject>())
                {
                    if ((string?)subject["kind"] == "ServiceAccount" && (string?)subject["name"] == "default")
                    {
                        subject["namespace"] = ns;
                    }
                }
            }
        }
    }
}
