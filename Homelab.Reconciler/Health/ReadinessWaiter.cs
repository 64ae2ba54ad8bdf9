using System.Net;
using System.Text.Json.Nodes;
using Homelab.Reconciler.Inventory;
using Homelab.Reconciler.Kubernetes;

namespace Homelab.Reconciler.Health;

/// <summary>
/// Waits, bounded, until applied objects are healthy by kstatus-like rules: CRDs established,
/// Namespaces active, Deployments rolled out (observedGeneration caught up, all replicas updated and
/// available), StatefulSets and DaemonSets likewise, Jobs complete. Kinds without a rule are healthy
/// once applied. A Failed object ends the wait at once: waiting out the timeout would change nothing.
/// </summary>
public sealed class ReadinessWaiter(KubeApi api, ApiDiscovery discovery)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The objects not healthy when the wait ended, each with its state and why; empty when all are healthy.</summary>
    public async Task<IReadOnlyList<string>> WaitAsync(IEnumerable<JsonObject> objects, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var pending = objects.Where(Readiness.HasRule).Select(ObjectReference.Of).ToList();
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var unhealthy = new List<(ObjectReference Reference, HealthStatus Health)>();
            foreach (var reference in pending)
            {
                var health = await CheckAsync(reference, cancellationToken).ConfigureAwait(false);
                if (health.State != HealthState.Healthy)
                {
                    unhealthy.Add((reference, health));
                }
            }

            pending = unhealthy.Select(u => u.Reference).ToList();
            if (pending.Count == 0 || unhealthy.Any(u => u.Health.State == HealthState.Failed) || DateTimeOffset.UtcNow >= deadline)
            {
                return unhealthy.Select(u => $"{u.Reference}: {u.Health}").ToList();
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

    private async Task<HealthStatus> CheckAsync(ObjectReference reference, CancellationToken cancellationToken)
    {
        var mapping = await discovery.GetAsync(reference.ApiVersion, reference.Kind, cancellationToken).ConfigureAwait(false);
        try
        {
            var live = await api.GetAsync(mapping.ObjectPath(reference.Namespace, reference.Name), cancellationToken).ConfigureAwait(false);
            return live is null ? Readiness.Missing(reference.Kind) : Readiness.Check(live);
        }
        catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return Readiness.Missing(reference.Kind);
        }
    }
}
