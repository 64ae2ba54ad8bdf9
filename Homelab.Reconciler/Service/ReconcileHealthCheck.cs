using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Homelab.Reconciler.Service;

/// <summary>
/// Health reflects the last cycle: healthy when ready (or observe-only: nothing to apply to),
/// degraded when the last cycle failed (the process is fine; Git or the cluster is not).
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
            : HealthCheckResult.Degraded(description, data: data));
    }
}
