using Homelab.Reconciler.Reconcile;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Homelab.Reconciler.Service;

/// <summary>
/// Liveness (<c>/alive</c>): unhealthy only when the loop cannot recover without a restart (see
/// <see cref="LoopLiveness"/>). A failing cycle is not a reason to restart: it is retried with back-off.
/// </summary>
internal sealed class ReconcileLivenessCheck(LoopLiveness loop, IOptions<ReconcileOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(loop.Problem(options.Value.StallLimit) is { } problem
            ? HealthCheckResult.Unhealthy(problem)
            : HealthCheckResult.Healthy("the reconcile loop runs"));
}
