using System.Net;
using System.Text.Json.Nodes;
using Homelab.Reconciler.Kubernetes;

namespace Homelab.Reconciler.Health;

/// <summary>
/// Waits, bounded, until applied objects are healthy by kstatus-like rules: CRDs established,
/// Namespaces active, Deployments rolled out (observedGeneration caught up, all replicas updated and
/// available), StatefulSets and DaemonSets likewise, Jobs complete. Kinds without a rule are healthy
/// once applied. A workload not rolled out yet is read with its pods (and, for a container not ready,
/// its probe events), so one whose pods cannot start is Degraded at once. A Degraded or Failed object
/// ends the wait at once: waiting out the timeout would change nothing.
/// </summary>
public sealed class ReadinessWaiter(KubeApi api, ApiDiscovery discovery)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Pods are listed every this many polls (once a second): their state changes at the kubelet's pace.</summary>
    private const int PodPolls = 4;

    /// <summary>Pods whose probe events are read, at most: enough to say why, bounded in requests.</summary>
    private const int ProbedPods = 3;

    private static readonly ResourceMapping Pods = new("v1", "Pod", "pods", Namespaced: true);
    private static readonly ResourceMapping Events = new("v1", "Event", "events", Namespaced: true);

    /// <summary>The objects not healthy when the wait ended, each with its state and why; empty when all are healthy.</summary>
    public async Task<IReadOnlyList<string>> WaitAsync(IEnumerable<JsonObject> objects, TimeSpan timeout, CancellationToken cancellationToken) =>
        (await WaitUnhealthyAsync(objects, timeout, cancellationToken).ConfigureAwait(false)).Select(u => u.ToString()).ToList();

    /// <summary>The objects not healthy when the wait ended, typed (a notification tells a Failed workload from a slow one); empty when all are healthy.</summary>
    public async Task<IReadOnlyList<UnhealthyObject>> WaitUnhealthyAsync(IEnumerable<JsonObject> objects, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var pending = objects.Where(Readiness.HasRule).Select(ObjectReference.Of).ToList();
        var deadline = DateTimeOffset.UtcNow + timeout;
        var pods = new Dictionary<ObjectReference, PodsRead>();
        for (var poll = 0; ; poll++)
        {
            var unhealthy = new List<(ObjectReference Reference, HealthStatus Health)>();
            foreach (var reference in pending)
            {
                var health = await CheckAsync(reference, pods, poll % PodPolls == 0, cancellationToken).ConfigureAwait(false);
                if (health.State != HealthState.Healthy)
                {
                    unhealthy.Add((reference, health));
                }
            }

            pending = unhealthy.Select(u => u.Reference).ToList();
            if (pending.Count == 0 || unhealthy.Any(u => u.Health.State is HealthState.Failed or HealthState.Degraded) || DateTimeOffset.UtcNow >= deadline)
            {
                return unhealthy.Select(u => new UnhealthyObject(u.Reference, u.Health)).ToList();
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<HealthStatus> CheckAsync(ObjectReference reference, Dictionary<ObjectReference, PodsRead> seen, bool listPods, CancellationToken cancellationToken)
    {
        var mapping = await discovery.GetAsync(reference.ApiVersion, reference.Kind, cancellationToken).ConfigureAwait(false);
        JsonObject? live;
        try
        {
            live = await api.GetAsync(mapping.ObjectPath(reference.Namespace, reference.Name), cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            live = null;
        }

        if (live is null)
        {
            return Readiness.Missing(reference.Kind);
        }

        var health = Readiness.Check(live);
        if (health.State == HealthState.Healthy || !WorkloadPods.HasPods(reference.Kind) || WorkloadPods.Selector(live) is not { } selector)
        {
            return health;
        }

        if (listPods || !seen.TryGetValue(reference, out var read))
        {
            read = await ReadPodsAsync(live, reference.Namespace, selector, cancellationToken).ConfigureAwait(false);
            seen[reference] = read;
        }

        var withPods = Readiness.Check(live, read.Pods, read.Events);
        return read.Unread is null ? withPods : withPods with { Message = $"{withPods.Message}; pods not read: {read.Unread}" };
    }

    /// <summary>
    /// The pods of the workload's current revision (<see cref="WorkloadPods.CurrentRevision"/>) and the probe
    /// failures of those not ready: an old revision's pod, kept by a rolling update, does not judge the new commit.
    /// A server that will not list them (RBAC without pods, events or the revision objects, a server without
    /// core/v1) leaves the workload's own status to speak, and the refusal is said once (a Forbidden names the
    /// rule to add); when only the revisions are refused, every selected pod is judged, as before revisions were read.
    /// </summary>
    private async Task<PodsRead> ReadPodsAsync(JsonObject live, string? @namespace, string selector, CancellationToken cancellationToken)
    {
        string? unread = null;
        var kind = live["kind"]?.GetValue<string>() ?? string.Empty;
        var query = $"?labelSelector={Uri.EscapeDataString(selector)}";
        var selected = await ListOrEmptyAsync($"{Pods.CollectionPath(@namespace)}{query}").ConfigureAwait(false);
        List<JsonObject>? revisions = [];
        if (WorkloadPods.RevisionsOf(kind) is { } mapping)
        {
            revisions = await ListAsync($"{mapping.CollectionPath(@namespace)}{query}", refused: null).ConfigureAwait(false);
        }

        var pods = revisions is null ? selected : [.. WorkloadPods.OfRevision(kind, WorkloadPods.CurrentRevision(live, revisions), selected)];
        var events = new List<JsonObject>();
        foreach (var pod in WorkloadPods.NotReadyPods(pods).Take(ProbedPods))
        {
            var fields = Uri.EscapeDataString($"involvedObject.kind=Pod,involvedObject.name={pod},reason=Unhealthy");
            events.AddRange(await ListOrEmptyAsync($"{Events.CollectionPath(@namespace)}?fieldSelector={fields}").ConfigureAwait(false));
        }

        return new PodsRead(pods, events, unread);

        async Task<List<JsonObject>> ListOrEmptyAsync(string path) => (await ListAsync(path, refused: []).ConfigureAwait(false))!;

        // A refused list answers `refused` and says why once.
        async Task<List<JsonObject>?> ListAsync(string path, List<JsonObject>? refused)
        {
            var items = new List<JsonObject>();
            try
            {
                await foreach (var item in api.ListAsync(path, cancellationToken).ConfigureAwait(false))
                {
                    items.Add(item);
                }
            }
            catch (KubeApiException ex)
            {
                unread ??= ex.Forbidden?.ToString() ?? ex.Message;
                return refused;
            }

            return items;
        }
    }

    /// <summary>A workload's pods and their probe events as last listed; <paramref name="Unread"/> says why a list was refused.</summary>
    private sealed record PodsRead(List<JsonObject> Pods, List<JsonObject> Events, string? Unread);
}
