using System.Text.Json.Nodes;
using Homelab.Reconciler.Reconcile;

namespace Homelab.Reconciler.Cli;

/// <summary>
/// The in-cluster reconciler as <c>homelab-system</c> renders it: what it will follow (its
/// <c>Reconciler__Source</c>, <c>__Ref</c> and <c>__Path</c>) and where bootstrap finds it afterwards.
/// </summary>
/// <param name="Namespace">The Deployment's namespace.</param>
/// <param name="Name">The Deployment's name.</param>
/// <param name="Source">The Git URL it follows.</param>
/// <param name="Ref">The branch, tag or commit.</param>
/// <param name="Path">The folder it renders.</param>
/// <param name="PodSelector">Its pods' label selector (<c>k=v,k2=v2</c>).</param>
/// <param name="StatusPath">Its <c>/status</c> through the API server's service proxy; null without a Service selecting its pods.</param>
internal sealed record ReconcilerDeployment(string Namespace, string Name, string Source, string Ref, string Path, string PodSelector, string? StatusPath)
{
    private const string SourceVariable = ReconcileOptions.Section + "__" + nameof(ReconcileOptions.Source);

    /// <summary>Finds the Deployment whose container sets <c>Reconciler__Source</c>.</summary>
    /// <exception cref="IOException">There is none: bootstrap has nothing to hand over to.</exception>
    public static ReconcilerDeployment Find(IReadOnlyList<JsonObject> objects, string folder)
    {
        ArgumentNullException.ThrowIfNull(objects);
        foreach (var deployment in objects.Where(o => Text(o["kind"]) == "Deployment"))
        {
            var env = deployment["spec"]?["template"]?["spec"]?["containers"]?.AsArray()
                .SelectMany(c => c?["env"]?.AsArray() ?? [])
                .OfType<JsonObject>()
                .Where(e => Text(e["name"]) is not null && Text(e["value"]) is not null)
                .GroupBy(e => Text(e["name"])!, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => Text(g.First()["value"])!, StringComparer.Ordinal) ?? [];
            if (!env.TryGetValue(SourceVariable, out var source))
            {
                continue;
            }

            var ns = Text(deployment["metadata"]?["namespace"]) ?? "default";
            var labels = deployment["spec"]?["selector"]?["matchLabels"] as JsonObject ?? [];
            return new ReconcilerDeployment(
                ns,
                Text(deployment["metadata"]?["name"])!,
                source,
                env.GetValueOrDefault(ReconcileOptions.Section + "__" + nameof(ReconcileOptions.Ref), Homelab.Defaults.ReconcilerDefaults.Ref),
                env.GetValueOrDefault(ReconcileOptions.Section + "__" + nameof(ReconcileOptions.Path), Homelab.Defaults.ReconcilerDefaults.Path),
                string.Join(',', labels.Select(l => $"{l.Key}={Text(l.Value)}")),
                StatusPathOf(objects, ns, labels));
        }

        throw new IOException($"{folder} has no reconciler Deployment (none sets {SourceVariable}): nothing would take over from bootstrap");
    }

    /// <summary>Whether it follows <see cref="Homelab.Defaults.ReconcilerDefaults.PlaceholderRepositoryUrl"/>, a repository nobody owns.</summary>
    public bool FollowsPlaceholder =>
        string.Equals(Source.Trim().TrimEnd('/'), Homelab.Defaults.ReconcilerDefaults.PlaceholderRepositoryUrl, StringComparison.OrdinalIgnoreCase);

    /// <summary>Why bootstrap refuses a tree that follows the placeholder, and what to do.</summary>
    public string PlaceholderRefusal(string folder) =>
        $"{folder}: the reconciler would follow the placeholder {Source}, which is nobody's repository: set {Homelab.Defaults.ReconcilerDefaults.RepositoryUrlSetting} to your repository's https URL and publish again";

    /// <summary>The Service in the same namespace whose selector picks the Deployment's pods: its first port's proxy path to /status.</summary>
    private static string? StatusPathOf(IReadOnlyList<JsonObject> objects, string ns, JsonObject podLabels)
    {
        var service = objects.FirstOrDefault(o =>
            Text(o["kind"]) == "Service"
            && (Text(o["metadata"]?["namespace"]) ?? "default") == ns
            && o["spec"]?["selector"] is JsonObject { Count: > 0 } selector
            && selector.All(s => Text(podLabels[s.Key]) == Text(s.Value)));
        if (service?["spec"]?["ports"]?.AsArray().FirstOrDefault() is not JsonObject port)
        {
            return null;
        }

        var portName = Text(port["name"]) ?? port["port"]?.ToString();
        return $"/api/v1/namespaces/{ns}/services/{Text(service["metadata"]?["name"])}:{portName}/proxy/status";
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
