using System.Text.Json.Nodes;
using Homelab.Reconciler.Inventory;
using Homelab.Reconciler.Kubernetes;

namespace Homelab.Reconciler.Health;

/// <summary>
/// Waits, bounded, until applied objects are ready by kstatus-like rules: CRDs established,
/// Namespaces active, Deployments rolled out (observedGeneration caught up, all replicas updated and
/// available), StatefulSets and DaemonSets likewise, Jobs complete. Kinds without a rule are ready once applied.
/// </summary>
public sealed class ReadinessWaiter(KubeApi api, ApiDiscovery discovery)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The objects still not ready when the timeout passed, each with why; empty when all are ready.</summary>
    public async Task<IReadOnlyList<string>> WaitAsync(IEnumerable<JsonObject> objects, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var pending = objects.Where(o => Readiness.HasRule(ObjectReference.Of(o).Kind)).Select(ObjectReference.Of).ToList();
        var deadline = DateTimeOffset.UtcNow + timeout;
        var reasons = new List<string>();
        while (true)
        {
            reasons.Clear();
            var still = new List<ObjectReference>();
            foreach (var reference in pending)
            {
                var mapping = await discovery.GetAsync(reference.ApiVersion, reference.Kind, cancellationToken).ConfigureAwait(false);
                var live = await api.GetAsync(mapping.ObjectPath(reference.Namespace, reference.Name), cancellationToken).ConfigureAwait(false);
                if (Readiness.Check(live) is { } reason)
                {
                    still.Add(reference);
                    reasons.Add($"{reference}: {reason}");
                }
            }

            pending = still;
            if (pending.Count == 0 || DateTimeOffset.UtcNow >= deadline)
            {
                return reasons.ToList();
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for CRDs and Namespaces; fails when they are not ready in time (the rest depends on them).</summary>
    public async Task WaitEstablishedAsync(IEnumerable<JsonObject> objects, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var notReady = await WaitAsync(objects, timeout, cancellationToken).ConfigureAwait(false);
        if (notReady.Count > 0)
        {
            throw new Apply.ApplyException(notReady);
        }
    }
}
