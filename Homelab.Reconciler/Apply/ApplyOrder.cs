using System.Text.Json.Nodes;
using Homelab.Reconciler.Kubernetes;

namespace Homelab.Reconciler.Apply;

/// <summary>
/// The order objects are applied in (Flux's): definitions and namespaces first, then what others refer
/// to (accounts, RBAC, config, Services), then workloads, then admission webhook configurations, so a
/// webhook is registered after the Deployment that serves it. Every kind not listed (custom resources,
/// but also Jobs, DaemonSets, claims, Ingresses, NetworkPolicies) comes last, after the webhooks.
/// Prune goes in reverse.
/// </summary>
public static class ApplyOrder
{
    private static readonly string[] Kinds =
    [
        "CustomResourceDefinition", "Namespace", "ResourceQuota", "StorageClass", "ServiceAccount",
        "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap",
        "Secret", "Service", "LimitRange", "PriorityClass", "Deployment", "StatefulSet", "CronJob",
        "PodDisruptionBudget", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    ];

    /// <summary>Kinds applied (and waited for) before anything else: the rest may live in or depend on them.</summary>
    public static bool IsFirstStage(string kind) => kind is "CustomResourceDefinition" or "Namespace";

    /// <summary>The rank of a kind; unknown kinds share the last rank.</summary>
    public static int Rank(string kind)
    {
        var index = Array.IndexOf(Kinds, kind);
        return index < 0 ? Kinds.Length : index;
    }

    /// <summary>Sorts by rank, then kind, namespace and name, so the order never depends on file layout.</summary>
    public static IReadOnlyList<JsonObject> Sort(IEnumerable<JsonObject> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        return objects
            .Select(o => (Object: o, Reference: ObjectReference.Of(o)))
            .OrderBy(x => Rank(x.Reference.Kind))
            .ThenBy(x => x.Reference.Kind, StringComparer.Ordinal)
            .ThenBy(x => x.Reference.Namespace, StringComparer.Ordinal)
            .ThenBy(x => x.Reference.Name, StringComparer.Ordinal)
            .Select(x => x.Object)
            .ToList();
    }
}
