using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>
/// After prefixes, suffixes and hashes have renamed objects, points references at the new names
/// (ConfigMaps and Secrets in pod specs, Services, ServiceAccounts, PVCs, Roles, scale targets...).
/// </summary>
internal static class NameReferences
{
    private static readonly string[] WorkloadKinds =
        ["Pod", "PodTemplate", "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "CronJob", "ReplicationController"];

    private static readonly NameReferenceRule[] BuiltIn = BuildRules();

    /// <summary>Fixes references of the built-in fields and of <paramref name="configured"/> (from <c>configurations</c>).</summary>
    public static void Fix(List<Resource> resources, IReadOnlyCollection<NameReferenceRule> configured)
    {
        var rules = BuiltIn.Select(r => (Rule: r, Guarded: true)).Concat(configured.Select(r => (Rule: r, Guarded: false))).ToList();
        foreach (var referrer in resources)
        {
            foreach (var ((referralKind, spec), guarded) in rules)
            {
                if (!spec.Selects(referrer))
                {
                    continue;
                }
                FieldPaths.Visit(referrer.Content, spec.Path, false, (parent, key) =>
                {
                    switch (parent[key])
                    {
                        case JsonValue value when value.TryGetValue<string>(out var name):
                            // kubectl follows configured fields whatever kind sits beside the name; built-in ones check it.
                            if (!guarded || KindGuardPasses(parent, key, referralKind))
                            {
                                parent[key] = Resolve(resources, referrer, referralKind, name, referrer.Namespace);
                            }
                            break;
                        case JsonArray names when key == "resourceNames":
                            for (var i = 0; i < names.Count; i++)
                            {
                                if (names[i] is JsonValue v && v.TryGetValue<string>(out var n))
                                {
                                    names[i] = Resolve(resources, referrer, referralKind, n, referrer.Namespace);
                                }
                            }
                            break;
                        case JsonArray subjects when key == "subjects":
                            foreach (var subject in subjects.OfType<JsonObject>().Where(s => (string?)s["kind"] == referralKind))
                            {
                                if ((string?)subject["name"] is { } n)
                                {
                                    subject["name"] = Resolve(resources, referrer, referralKind, n, (string?)subject["namespace"] ?? referrer.Namespace);
                                }
                            }
                            break;
                        case JsonObject service when (string?)service["name"] is { } n:
                            service["name"] = Resolve(resources, referrer, referralKind, n, (string?)service["namespace"] ?? referrer.Namespace);
                            break;
                    }
                });
            }
        }
    }

    /// <summary>roleRef and scaleTargetRef name their kind next to the name; only follow the matching kind.</summary>
    private static bool KindGuardPasses(JsonObject parent, string key, string referralKind) =>
        key != "name" || parent["kind"] is not JsonValue kind || (string?)kind == referralKind;

    private static string Resolve(List<Resource> resources, Resource referrer, string kind, string name, string ns)
    {
        Resource? best = null;
        var bestScore = -1;
        foreach (var candidate in resources)
        {
            if (candidate.Kind != kind || (candidate.Name != name && candidate.OriginalName != name && !candidate.PreviousNames.Contains(name)))
            {
                continue;
            }
            if (!KindRules.IsClusterScoped(kind) && !KindRules.SameNamespace(candidate.Namespace, ns))
            {
                continue;
            }
            // Prefer the object from the kustomization closest to the referrer (bases may reuse names).
            var score = CommonPrefix(candidate.Scope, referrer.Scope) * 2 + (candidate.Name == name ? 1 : 0);
            if (score > bestScore)
            {
                best = candidate;
                bestScore = score;
            }
        }
        return best?.Name ?? name;
    }

    private static int CommonPrefix(string a, string b)
    {
        var x = a.Split('/');
        var y = b.Split('/');
        var n = 0;
        while (n < x.Length && n < y.Length && x[n] == y[n])
        {
            n++;
        }
        return n;
    }

    private static NameReferenceRule[] BuildRules()
    {
        var rules = new List<NameReferenceRule>();
        foreach (var kind in WorkloadKinds)
        {
            var pod = KindRules.PodSpecPath(kind)!;
            foreach (var containers in new[] { "containers", "initContainers" })
            {
                rules.Add(new("ConfigMap", new($"{pod}/{containers}/env/valueFrom/configMapKeyRef/name", false, kind)));
                rules.Add(new("ConfigMap", new($"{pod}/{containers}/envFrom/configMapRef/name", false, kind)));
                rules.Add(new("Secret", new($"{pod}/{containers}/env/valueFrom/secretKeyRef/name", false, kind)));
                rules.Add(new("Secret", new($"{pod}/{containers}/envFrom/secretRef/name", false, kind)));
            }
            rules.Add(new("ConfigMap", new($"{pod}/volumes/configMap/name", false, kind)));
            rules.Add(new("ConfigMap", new($"{pod}/volumes/projected/sources/configMap/name", false, kind)));
            rules.Add(new("Secret", new($"{pod}/volumes/secret/secretName", false, kind)));
            rules.Add(new("Secret", new($"{pod}/volumes/projected/sources/secret/name", false, kind)));
            rules.Add(new("Secret", new($"{pod}/imagePullSecrets/name", false, kind)));
            rules.Add(new("ServiceAccount", new($"{pod}/serviceAccountName", false, kind)));
            rules.Add(new("PersistentVolumeClaim", new($"{pod}/volumes/persistentVolumeClaim/claimName", false, kind)));
            rules.Add(new("PriorityClass", new($"{pod}/priorityClassName", false, kind)));
        }
        rules.Add(new("Secret", new("spec/tls/secretName", false, "Ingress")));
        rules.Add(new("Secret", new("imagePullSecrets/name", false, "ServiceAccount")));
        rules.Add(new("ConfigMap", new("rules/resourceNames", false, "Role")));
        rules.Add(new("ConfigMap", new("rules/resourceNames", false, "ClusterRole")));
        rules.Add(new("Secret", new("rules/resourceNames", false, "Role")));
        rules.Add(new("Secret", new("rules/resourceNames", false, "ClusterRole")));
        rules.Add(new("Service", new("spec/serviceName", false, "StatefulSet", "apps")));
        rules.Add(new("Service", new("spec/rules/http/paths/backend/service/name", false, "Ingress")));
        rules.Add(new("Service", new("spec/defaultBackend/service/name", false, "Ingress")));
        rules.Add(new("Service", new("spec/rules/http/paths/backend/serviceName", false, "Ingress")));
        rules.Add(new("Service", new("spec/backend/serviceName", false, "Ingress")));
        rules.Add(new("Service", new("spec/service/name", false, "APIService", "apiregistration.k8s.io")));
        rules.Add(new("Service", new("webhooks/clientConfig/service", false, "ValidatingWebhookConfiguration")));
        rules.Add(new("Service", new("webhooks/clientConfig/service", false, "MutatingWebhookConfiguration")));
        rules.Add(new("Role", new("roleRef/name", false, "RoleBinding", "rbac.authorization.k8s.io")));
        rules.Add(new("ClusterRole", new("roleRef/name", false, "RoleBinding", "rbac.authorization.k8s.io")));
        rules.Add(new("ClusterRole", new("roleRef/name", false, "ClusterRoleBinding", "rbac.authorization.k8s.io")));
        rules.Add(new("ServiceAccount", new("subjects", false, "RoleBinding", "rbac.authorization.k8s.io")));
        rules.Add(new("ServiceAccount", new("subjects", false, "ClusterRoleBinding", "rbac.authorization.k8s.io")));
        foreach (var target in new[] { "Deployment", "ReplicaSet", "StatefulSet", "ReplicationController" })
        {
            rules.Add(new(target, new("spec/scaleTargetRef/name", false, "HorizontalPodAutoscaler")));
        }
        rules.Add(new("PersistentVolume", new("spec/volumeName", false, "PersistentVolumeClaim")));
        rules.Add(new("StorageClass", new("spec/storageClassName", false, "PersistentVolumeClaim")));
        rules.Add(new("StorageClass", new("spec/storageClassName", false, "PersistentVolume")));
        rules.Add(new("IngressClass", new("spec/ingressClassName", false, "Ingress")));
        return [.. rules];
    }
}
