using Homelab.Reconciler.Drift;
using Homelab.Reconciler.Host;

namespace Homelab.Tests.Reconciler.Host;

public sealed class ReconcileWorkerTests
{
    [Fact]
    public void After_success_the_interval_after_failures_a_capped_exponential_backoff_with_jitter()
    {
        var interval = TimeSpan.FromMinutes(1);

        Assert.Equal(interval, ReconcileWorker.NextDelay(interval, 0, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(2), ReconcileWorker.NextDelay(interval, 1, 0));
        Assert.Equal(TimeSpan.FromSeconds(8), ReconcileWorker.NextDelay(interval, 3, 0));
        Assert.Equal(TimeSpan.FromSeconds(9.6), ReconcileWorker.NextDelay(interval, 3, 1));
        Assert.Equal(interval, ReconcileWorker.NextDelay(interval, 10, 0));
        Assert.Equal(interval * 1.2, ReconcileWorker.NextDelay(interval, 40, 1));
    }

    [Fact]
    public void The_drift_watch_backs_off_from_half_a_second_doubling_to_30_seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(0.5), DriftWatcher.Backoff(1));
        Assert.Equal(TimeSpan.FromSeconds(1), DriftWatcher.Backoff(2));
        Assert.Equal(TimeSpan.FromSeconds(16), DriftWatcher.Backoff(6));
        Assert.Equal(TimeSpan.FromSeconds(30), DriftWatcher.Backoff(7));
        Assert.Equal(TimeSpan.FromSeconds(30), DriftWatcher.Backoff(int.MaxValue));
    }
}
