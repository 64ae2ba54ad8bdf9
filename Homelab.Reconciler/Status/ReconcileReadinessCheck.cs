using Homelab.Reconciler.Reconcile;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Homelab.Reconciler.Status;

/// <summary>
/// Readiness (<c>/ready</c>): the last cycle's fetch reached Git and, unless observe-only, the API server
/// answered (<see cref="Blocker.None"/>). Not ready before the first cycle has applied (its health wait may
/// include this reconciler's own Deployment, which waits for this pod's readiness), while the state directory
/// cannot be used, or when the loop cannot recover. A broken commit (build, health, an empty revision, an
/// object the server refuses) stays ready: the webhook that brings its fix arrives through the Service.
/// Suspended stays ready too: someone asked for it, and <c>/resume</c> must reach the pod.
/// </summary>
internal sealed class ReconcileReadinessCheck(ReconcileStatus status, LoopLiveness loop, IOptions<ReconcileOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (snapshot, blockedOn, firstCycleReached) = status.ReadinessState();
        var unready = loop.Problem(options.Value.StallLimit)
            ?? (snapshot.Suspended ? null
            : snapshot.LastReconcileAt is null ? (firstCycleReached ? null : $"the first cycle has not reached Git and the API server yet: {snapshot.Message}")
            : blockedOn is not Blocker.None and var blocker ? $"{blocker} unavailable: {snapshot.Message}"
            : null);
        return Task.FromResult(unready is null ? HealthCheckResult.Healthy(snapshot.Message) : HealthCheckResult.Unhealthy(unready));
    }
}
