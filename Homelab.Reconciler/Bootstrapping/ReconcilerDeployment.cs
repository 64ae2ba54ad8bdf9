using System.Text.Json.Nodes;
using Homelab.Reconciler.Health;
using Homelab.Reconciler.Reconcile;

namespace Homelab.Reconciler.Bootstrapping;

/// <summary>
/// The in-cluster reconciler as <c>homelab-system</c> renders it: what it will follow (its
/// <c>Reconciler__Source</c>, <c>__Ref</c> and <c>__Path</c>) and where bootstrap finds it afterwards.
/// </summary>
/// <param name="Namespace">The Deployment's namespace.</param>
/// <param name="Name">The Deployment's name.</param>
/// <param name="Source">The Git URL it follows.</param>
/// <param name="Ref">The branch, tag or commit.</param>
/// <param name="Path">The folder it renders.</param>
/// <param name="PodSelector">Its pods' label selector as a query value (<see cref="WorkloadPods.Selector"/>); null when it selects none by label.</param>
/// <param name="StatusPort">The reconciler container's port (the one named <c>http</c>, else its first); null when it declares none.</param>
internal sealed record ReconcilerDeployment(string Namespace, string Name, string Source, string Ref, string Path, string? PodSelector, int? StatusPort)
{
    private const string SourceVariable = ReconcileOptions.Section + "__" + nameof(ReconcileOptions.Source);

    /// <summary>Finds the Deployment whose container sets <c>Reconciler__Source</c>.</summary>
    /// <exception cref="IOException">There is none: bootstrap has nothing to hand over to.</exception>
    public static ReconcilerDeployment Find(IReadOnlyList<JsonObject> objects, string folder)
    {
        ArgumentNullException.ThrowIfNull(objects);
        foreach (var deployment in objects.Where(o => Text(o["kind"]) == "Deployment"))
        {
            foreach (var container in (deployment["spec"]?["template"]?["spec"]?["containers"]?.AsArray() ?? []).OfType<JsonObject>())
            {
                var env = (container["env"]?.AsArray() ?? [])
                    .OfType<JsonObject>()
                    .Where(e => Text(e["name"]) is not null && Text(e["value"]) is not null)
                    .GroupBy(e => Text(e["name"])!, StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => Text(g.First()["value"])!, StringComparer.Ordinal);
                if (!env.TryGetValue(SourceVariable, out var source))
                {
                    continue;
                }

                var ports = (container["ports"]?.AsArray() ?? []).OfType<JsonObject>().ToList();
                var port = ports.FirstOrDefault(p => Text(p["name"]) == "http") ?? ports.FirstOrDefault();
                return new ReconcilerDeployment(
                    Text(deployment["metadata"]?["namespace"]) ?? "default",
                    Text(deployment["metadata"]?["name"])!,
                    source,
                    env.GetValueOrDefault(ReconcileOptions.Section + "__" + nameof(ReconcileOptions.Ref), Homelab.Defaults.ReconcilerDefaults.Ref),
                    env.GetValueOrDefault(ReconcileOptions.Section + "__" + nameof(ReconcileOptions.Path), Homelab.Defaults.ReconcilerDefaults.Path),
                    WorkloadPods.Selector(deployment),
                    (int?)Readiness.Long(port?["containerPort"]));
            }
        }

        throw new IOException($"{folder} has no reconciler Deployment (none sets {SourceVariable}): nothing would take over from bootstrap");
    }

    /// <summary>Whether it follows <see cref="Homelab.Defaults.ReconcilerDefaults.PlaceholderRepositoryUrl"/>, a repository nobody owns.</summary>
    public bool FollowsPlaceholder =>
        string.Equals(Source.Trim().TrimEnd('/'), Homelab.Defaults.ReconcilerDefaults.PlaceholderRepositoryUrl, StringComparison.OrdinalIgnoreCase);

    /// <summary>Why bootstrap refuses a tree that follows the placeholder, and what to do.</summary>
    public string PlaceholderRefusal(string folder) =>
        $"{folder}: the reconciler would follow the placeholder {Source}, which is nobody's repository: set {Homelab.Defaults.ReconcilerDefaults.RepositoryUrlSetting} to your repository's https URL and publish again";

    /// <summary>
    /// <paramref name="pod"/>'s <c>/status</c> through the API server's pod proxy. Not the Service's: a Service has no
    /// endpoint while the pod is unready, and the reconciler is unready exactly when its cycle failed (Git out of reach).
    /// </summary>
    public string? StatusPath(string pod) =>
        StatusPort is { } port ? $"/api/v1/namespaces/{Namespace}/pods/{pod}:{port}/proxy/status" : null;

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
