using k8s;
using k8s.Models;

namespace Homelab.Tests.AppHost.Publishing;

/// <summary>
/// A small RBAC rule matcher over published objects: what the API server's RBAC authorizer answers for
/// a request (user, verb, API group, resource, namespace), reduced to what the tree uses: ClusterRoles
/// and Roles, their bindings to ServiceAccounts and Users, "*" in any of a rule's lists. A rule with
/// resourceNames never matches (requests here name no object). No aggregation, no groups.
/// </summary>
internal sealed class RbacRuleMatcher(IReadOnlyList<IKubernetesObject> objects)
{
    public bool Allows(string user, string verb, string group, string resource, string? ns)
    {
        var clusterWide = objects.OfType<V1ClusterRoleBinding>()
            .Where(b => b.Subjects?.Any(s => Names(s, user)) == true)
            .SelectMany(b => Rules(b.RoleRef, ns: null));
        var namespaced = ns is null ? [] : objects.OfType<V1RoleBinding>()
            .Where(b => b.Metadata.NamespaceProperty == ns && b.Subjects?.Any(s => Names(s, user)) == true)
            .SelectMany(b => Rules(b.RoleRef, ns));
        return clusterWide.Concat(namespaced).Any(r =>
            r.ResourceNames is not { Count: > 0 }
            && Has(r.Verbs, verb)
            && Has(r.ApiGroups, group)
            && Has(r.Resources, resource));
    }

    private IEnumerable<V1PolicyRule> Rules(V1RoleRef role, string? ns) => role.Kind switch
    {
        "ClusterRole" => objects.OfType<V1ClusterRole>().Where(r => r.Metadata.Name == role.Name).SelectMany(r => r.Rules ?? []),
        "Role" => objects.OfType<V1Role>().Where(r => r.Metadata.Name == role.Name && r.Metadata.NamespaceProperty == ns).SelectMany(r => r.Rules ?? []),
        _ => [],
    };

    private static bool Names(Rbacv1Subject subject, string user) => subject.Kind switch
    {
        "ServiceAccount" => user == $"system:serviceaccount:{subject.NamespaceProperty}:{subject.Name}",
        "User" => user == subject.Name,
        _ => false,
    };

    private static bool Has(IList<string>? values, string value) => values?.Any(v => v == "*" || v == value) == true;
}
