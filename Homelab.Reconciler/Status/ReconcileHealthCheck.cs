using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Homelab.Reconciler.Status;

/// <summary>
/// Health reflects the last cycle: healthy when ready (observe-only says so in its description),
/// unhealthy when the last cycle failed, so the dashboard shows a broken commit or an unreachable
/// cluster at once. Liveness (<c>/alive</c>, <see cref="ReconcileLivenessCheck"/>) and readiness (<c>/ready</c>,
/// <see cref="ReconcileReadinessCheck"/>) are separate: a broken commit fails this check and neither of those.
/// </summary>
internal sealed class ReconcileHealthCheck(ReconcileStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = status.Snapshot();
        var data = new Dictionary<string, object> { ["reason"] = snapshot.Reason, ["revision"] = snapshot.LastAppliedRevision ?? string.Empty };
        var description = snapshot.ObserveOnly ? $"observe-only: no cluster; {snapshot.Message}" : snapshot.Message;
        return Task.FromResult(snapshot.Ready || snapshot.LastReconcileAt is null
            ? HealthCheckResult.Healthy(description, data)
            : HealthCheckResult.Unhealthy(description, data: data));
    }
}
