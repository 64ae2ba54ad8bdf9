using System.Text.Json.Nodes;
using Homelab.Reconciler.Kubernetes;

namespace Homelab.Tests.Infrastructure;

/// <summary>
/// The kinds <see cref="InMemoryApiServer"/> serves, as a kube-apiserver's discovery names them. Where the real
/// server's capture (../shared/real-apiserver, <see cref="RealApiServer"/>) has a kind, it is read from there at test
/// time: each file is one resource's LIST (<c>PLURAL[.GROUP].json</c>), its items carry apiVersion and kind, and a
/// namespace only when the kind is namespaced. The kinds the capture lacks are added below with what every
/// kube-apiserver serves for them (the Kubernetes API reference): the published tree's Secrets, PersistentVolumes and
/// NetworkPolicies, and the Pods, ReplicaSets and Events the health wait lists (empty: there is no kubelet or controller).
/// </summary>
internal static class ApiResourceTable
{
    private static readonly Lazy<IReadOnlyList<ResourceMapping>> All = new(Load);

    /// <summary>Every served kind (one version per group, as the capture has it).</summary>
    public static IReadOnlyList<ResourceMapping> Resources => All.Value;

    /// <summary>The kinds not in the capture: what the tree, bootstrap and the health wait also use.</summary>
    private static readonly ResourceMapping[] NotCaptured =
    [
        new("v1", "Secret", "secrets", Namespaced: true),
        new("v1", "PersistentVolume", "persistentvolumes", Namespaced: false),
        new("v1", "Pod", "pods", Namespaced: true),
        new("v1", "Event", "events", Namespaced: true),
        new("apps/v1", "ReplicaSet", "replicasets", Namespaced: true),
        new("networking.k8s.io/v1", "NetworkPolicy", "networkpolicies", Namespaced: true),
    ];

    private static IReadOnlyList<ResourceMapping> Load()
    {
        var captured = new List<ResourceMapping>();
        foreach (var file in RealApiServer.Lists("after-apply"))
        {
            var plural = Path.GetFileNameWithoutExtension(file).Split('.', 2)[0];
            var first = JsonNode.Parse(File.ReadAllText(file))!["items"]!.AsArray().OfType<JsonObject>().First();
            captured.Add(new ResourceMapping(
                (string)first["apiVersion"]!,
                (string)first["kind"]!,
                plural,
                Namespaced: first["metadata"]?["namespace"] is not null));
        }

        return [.. captured, .. NotCaptured.Where(n => !captured.Exists(c => c.Kind == n.Kind && c.ApiVersion == n.ApiVersion))];
    }
}
