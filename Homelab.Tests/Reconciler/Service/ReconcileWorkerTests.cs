using Homelab.Reconciler.Service;

namespace Homelab.Tests.Reconciler.Service;

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
}
