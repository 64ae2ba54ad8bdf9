namespace Homelab.Kustomize;

/// <summary>Facts about built-in kinds that kustomize hard-codes (scope, output order, pod template location).</summary>
internal static class KindRules
{
    // Kinds kustomize knows to be cluster-scoped from its built-in OpenAPI data; they get no namespace.
    private static readonly HashSet<string> ClusterScoped = new(StringComparer.Ordinal)
    {
        "Namespace", "Node", "PersistentVolume", "StorageClass", "CustomResourceDefinition", "ClusterRole",
        "ClusterRoleBinding", "PriorityClass", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
        "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "APIService", "IngressClass", "CSIDriver",
        "CSINode", "RuntimeClass", "PodSecurityPolicy", "VolumeAttachment", "ComponentStatus",
        "CertificateSigningRequest", "FlowSchema", "PriorityLevelConfiguration", "TokenReview",
        "SelfSubjectAccessReview", "SelfSubjectRulesReview", "SubjectAccessReview",
    };

    // kustomize's "legacy" output order: these kinds first, in this order, ...
    private static readonly string[] OrderFirst =
    [
        "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount", "PodSecurityPolicy",
        "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret", "Endpoints", "Service",
        "LimitRange", "PriorityClass", "PersistentVolume", "PersistentVolumeClaim", "Deployment", "StatefulSet",
        "CronJob", "PodDisruptionBudget",
    ];

    // ... and webhooks last, so they cannot block the objects they would admit.
    private static readonly string[] OrderLast = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"];

    // API groups whose kinds kustomize has OpenAPI schemas for (and so knows list merge keys).
    private static readonly HashSet<string> BuiltInGroups = new(StringComparer.Ordinal)
    {
        "", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "rbac.authorization.k8s.io", "storage.k8s.io",
        "scheduling.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "node.k8s.io", "admissionregistration.k8s.io",
        "apiextensions.k8s.io", "apiregistration.k8s.io", "certificates.k8s.io", "events.k8s.io", "flowcontrol.apiserver.k8s.io",
        "extensions",
    };

    public static bool IsClusterScoped(string kind) => ClusterScoped.Contains(kind);

    /// <summary>Namespaces compare with "" meaning "default", as kustomize's ids do.</summary>
    public static bool SameNamespace(string a, string b) => (a.Length == 0 ? "default" : a) == (b.Length == 0 ? "default" : b);

    public static bool HasSchema(Resource resource) => BuiltInGroups.Contains(resource.Group);

    /// <summary>Path of the pod spec inside a workload kind, or null if the kind has none.</summary>
    public static string? PodSpecPath(string kind) => kind switch
    {
        "Pod" => "spec",
        "PodTemplate" => "template/spec",
        "Deployment" or "ReplicaSet" or "DaemonSet" or "StatefulSet" or "Job" or "ReplicationController" => "spec/template/spec",
        "CronJob" => "spec/jobTemplate/spec/template/spec",
        _ => null,
    };

    private static string LegacySortKey(Resource resource) => $"{(resource.Namespace.Length == 0 ? "~X" : resource.Namespace)}|{resource.Name}";

    /// <summary>Compares two objects in kustomize's legacy order: kind rank, then group/version/kind, namespace, name.</summary>
    public static int Compare(Resource a, Resource b)
    {
        if (a.Group != b.Group || a.Version != b.Version || a.Kind != b.Kind)
        {
            var rankA = Rank(a.Kind);
            var rankB = Rank(b.Kind);
            if (rankA != rankB)
            {
                return rankA.CompareTo(rankB);
            }
            var gvkA = GvkSortKey(a);
            var gvkB = GvkSortKey(b);
            // Namespace objects of the core group sort after other groups' "Namespace" kinds (kustomize quirk).
            if (a.Kind == "Namespace" && b.Kind == "Namespace" && (a.Group.Length == 0 || b.Group.Length == 0))
            {
                return string.CompareOrdinal(gvkB, gvkA);
            }
            return string.CompareOrdinal(gvkA, gvkB);
        }
        // kustomize compares "namespace|name" as one string, so "homelab-system|x" sorts before
        // "homelab|y" ('-' < '|'): not namespace first, then name (seen with kubectl kustomize v5.5).
        return string.CompareOrdinal(LegacySortKey(a), LegacySortKey(b));
    }

    private static int Rank(string kind)
    {
        var first = Array.IndexOf(OrderFirst, kind);
        if (first >= 0)
        {
            return first - OrderFirst.Length;
        }
        var last = Array.IndexOf(OrderLast, kind);
        return last >= 0 ? last + 1 : 0;
    }

    private static string GvkSortKey(Resource r) =>
        $"{(r.Group.Length == 0 ? "~G" : r.Group)}_{(r.Version.Length == 0 ? "~V" : r.Version)}_{(r.Kind.Length == 0 ? "~K" : r.Kind)}";
}
