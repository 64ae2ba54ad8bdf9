using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Build;

/// <summary>
/// Applies <c>namespace</c>: namespaced objects (and unknown kinds, which kustomize assumes namespaced)
/// move to it, Namespace objects are renamed to it, and "default" ServiceAccount subjects of role
/// bindings follow, exactly as kubectl kustomize does.
/// </summary>
internal static class NamespaceTransformer
{
    public static void Apply(IEnumerable<Resource> resources, string ns)
    {
        foreach (var resource in resources)
        {
            if (resource.Kind == "Namespace")
            {
                resource.Name = ns;
                continue;
            }
            if (!KindRules.IsClusterScoped(resource.Kind))
            {
                resource.Metadata["namespace"] = ns;
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
            if (resource.Kind == "APIService" && resource.Group == "apiregistration.k8s.io")
            {
                FieldPaths.Visit(resource.Content, "spec/service/namespace", true, (p, k) => p[k] = ns);
            }
            if (resource.Kind == "CustomResourceDefinition")
            {
                FieldPaths.Visit(resource.Content, "spec/conversion/webhook/clientConfig/service/namespace", false, (p, k) => p[k] = ns);
            }
        }
    }
}
