using System.Text.Json.Nodes;

namespace Homelab.Kustomize;

/// <summary>
/// Adds labels and annotations where kustomize's built-in field specs put them: metadata, pod
/// templates and (for selector labels) workload and Service selectors.
/// </summary>
internal static class MetadataTransformer
{
    // Declared first: static initialisers below read it.
    private static readonly string[] AffinityPaths =
        [
            "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
            "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
            "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
            "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
            "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
        ];

    private static readonly string[] TemplateKinds = ["Deployment", "ReplicaSet", "DaemonSet"];

    /// <summary>Object and pod-template label locations ("includeTemplates").</summary>
    public static readonly FieldSpec[] TemplateLabels =
    [
        new("spec/template/metadata/labels", true, "ReplicationController", Version: "v1"),
        .. TemplateKinds.Select(k => new FieldSpec("spec/template/metadata/labels", true, k)),
        new("spec/template/metadata/labels", true, "StatefulSet", "apps"),
        new("spec/template/metadata/labels", true, "Job", "batch"),
        new("spec/jobTemplate/metadata/labels", true, "CronJob", "batch"),
        new("spec/jobTemplate/spec/template/metadata/labels", true, "CronJob", "batch"),
        new("spec/volumeClaimTemplates[]/metadata/labels", true, "StatefulSet", "apps"),
    ];

    /// <summary>Everything commonLabels (or labels with includeSelectors) touches.</summary>
    public static readonly FieldSpec[] SelectorLabels =
    [
        new("spec/selector", true, "Service", Version: "v1"),
        new("spec/selector", true, "ReplicationController", Version: "v1"),
        new("spec/selector/matchLabels", true, "Deployment"),
        .. AffinitySelectors("Deployment"),
        new("spec/selector/matchLabels", true, "ReplicaSet"),
        new("spec/selector/matchLabels", true, "DaemonSet"),
        new("spec/selector/matchLabels", true, "StatefulSet", "apps"),
        .. AffinitySelectors("StatefulSet"),
        new("spec/selector/matchLabels", false, "Job", "batch"),
        new("spec/jobTemplate/spec/selector/matchLabels", false, "CronJob", "batch"),
        new("spec/selector/matchLabels", false, "PodDisruptionBudget", "policy"),
        new("spec/podSelector/matchLabels", false, "NetworkPolicy", "networking.k8s.io"),
        new("spec/ingress/from/podSelector/matchLabels", false, "NetworkPolicy", "networking.k8s.io"),
        new("spec/egress/to/podSelector/matchLabels", false, "NetworkPolicy", "networking.k8s.io"),
        new("metadata/labels", true),
        .. TemplateLabels,
    ];

    /// <summary>Where commonAnnotations go.</summary>
    public static readonly FieldSpec[] Annotations =
    [
        new("metadata/annotations", true),
        new("spec/template/metadata/annotations", true, "ReplicationController", Version: "v1"),
        .. TemplateKinds.Append("StatefulSet").Select(k => new FieldSpec("spec/template/metadata/annotations", true, k)),
        new("spec/template/metadata/annotations", true, "Job", "batch"),
        new("spec/jobTemplate/metadata/annotations", true, "CronJob", "batch"),
        new("spec/jobTemplate/spec/template/metadata/annotations", true, "CronJob", "batch"),
    ];

    public static readonly FieldSpec[] MetadataOnly = [new("metadata/labels", true)];

    /// <summary>Sets every pair at each field spec that selects the resource.</summary>
    public static void Apply(IEnumerable<Resource> resources, IReadOnlyDictionary<string, string> pairs, IEnumerable<FieldSpec> specs)
    {
        if (pairs.Count == 0)
        {
            return;
        }
        var specList = specs.ToList();
        foreach (var resource in resources)
        {
            foreach (var spec in specList.Where(s => s.Selects(resource)))
            {
                FieldPaths.Visit(resource.Content, spec.Path, spec.Create, (parent, key) =>
                {
                    if (parent[key] is not JsonObject map)
                    {
                        map = new JsonObject();
                        parent[key] = map;
                    }
                    foreach (var (k, v) in pairs)
                    {
                        map[k] = v;
                    }
                });
            }
        }
    }


    private static IEnumerable<FieldSpec> AffinitySelectors(string kind) =>
        AffinityPaths.Select(p => new FieldSpec(p, false, kind, "apps"));
}
