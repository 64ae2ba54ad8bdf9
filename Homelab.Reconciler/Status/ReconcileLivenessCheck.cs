using Homelab.Reconciler.Reconcile;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Homelab.Reconciler.Status;

/// <summary>
/// Liveness (<c>/alive</c>): unhealthy only when the loop cannot recover without a restart (see
/// <see cref="LoopLiveness"/>). A failing cycle is not a reason to restart: it is retried with back-off.
/// The health-check service's own log is silenced (probe noise), so this check says why, once, when it turns
/// unhealthy (the last line before the kubelet restarts the pod) and when it recovers. A singleton: the turn
/// is remembered between probes.
/// </summary>
internal sealed class ReconcileLivenessCheck(LoopLiveness loop, IOptions<ReconcileOptions> options, ILogger<ReconcileLivenessCheck> logger) : IHealthCheck
{
    private readonly Lock _lock = new();
    private bool _unhealthy;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problem = loop.Problem(options.Value.StallLimit);
        bool turned;
        lock (_lock)
        {
            turned = _unhealthy != (problem is not null);
            _unhealthy = problem is not null;
        }

        if (turned && problem is not null)
        {
            logger.LogError("Liveness (/alive) fails, so the pod will be restarted: {Problem}", problem);
        }
        else if (turned)
        {
            logger.LogInformation("Liveness (/alive) passes again: the reconcile loop runs");
        }

        return Task.FromResult(problem is not null ? HealthCheckResult.Unhealthy(problem) : HealthCheckResult.Healthy("the reconcile loop runs"));
    }
}
