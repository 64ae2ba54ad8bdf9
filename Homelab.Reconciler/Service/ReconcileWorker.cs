using Homelab.Reconciler.Build;
using Homelab.Reconciler.Inventory;
using Homelab.Reconciler.Kubernetes;
using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Source;
using Microsoft.Extensions.Options;

namespace Homelab.Reconciler.Service;

/// <summary>
/// Reconciles on the interval, one cycle at a time, backing off (capped, with jitter) after failures;
/// a trigger (webhook, drift, "Reconcile now") starts a cycle at once. Suspended, it skips cycles.
/// Without a reachable cluster configuration it runs observe-only: it keeps fetching and building and
/// applies nothing, instead of crashing.
/// </summary>
internal sealed class ReconcileWorker(
    IOptions<ReconcileOptions> options,
    ReconcileStatus status,
    ReconcileTrigger trigger,
    DesiredState desired,
    Suspension suspension,
    ILoggerFactory loggers,
    TimeProvider time) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<ReconcileWorker>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ReconcileAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            // Never take the host down: /status and /health keep answering, with this.
            _logger.LogCritical(ex, "The reconcile loop stopped");
            var now = time.GetUtcNow();
            status.Record(Failure(ReconcileReason.ReconciliationFailed, $"the reconcile loop stopped: {ex.GetType().Name}: {ex.Message}"), now, now, status.Snapshot().ObserveOnly);
        }
    }

    private async Task ReconcileAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.Source))
        {
            _logger.LogWarning("No source configured (Reconciler:Source): nothing to reconcile");
            return;
        }

        suspension.Restore();
        using var stateLock = await AcquireStateLockAsync(settings, stoppingToken).ConfigureAwait(false);
        if (stateLock is null)
        {
            return;
        }

        using var api = TryConnect(settings.Kubeconfig);
        status.SetObserveOnly(api is null);
        var pipeline = new ReconcilePipeline(
            new GitSource(settings.SourceOptions(), loggers.CreateLogger<GitSource>()),
            new KustomizeBuilder(BuildLimits.Default),
            api,
            settings,
            loggers.CreateLogger<ReconcilePipeline>());
        DriftWatcher? drift = null;
        Task watching = Task.CompletedTask;
        if (api is not null)
        {
            drift = new DriftWatcher(api, desired, trigger, status, loggers.CreateLogger<DriftWatcher>());
            watching = drift.RunAsync(stoppingToken);
        }

        var failures = 0;
        var cheapCycles = 0;
        string? reason = "start";
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = settings.Interval;
            if (status.Suspended)
            {
                _logger.LogInformation("Suspended: skipping the cycle ({Reason})", reason);
            }
            else
            {
                if (reason is null)
                {
                    // A scheduled cycle: whoever fought us gets another chance.
                    drift?.ResetFights();
                }

                // A scheduled cycle after a success, while the watch repairs drift, may stop after an unchanged
                // ls-remote; every FullCycleEvery-th one still applies everything, in case a watch event was missed.
                var skip = reason is null && failures == 0 && drift is not null && cheapCycles < FullCycleEvery;
                desired.BeginCycle();
                ReconcileResult? result = null;
                try
                {
                    result = await pipeline.RunAsync(skip, stoppingToken).ConfigureAwait(false);
                }
                finally
                {
                    // Always ended, or the drift watcher would hold its events for ever.
                    desired.EndCycle(result is { Applied: > 0 } ? result.Changes : null);
                }

                cheapCycles = skip ? cheapCycles + 1 : 0;

                failures = result.Ready ? 0 : failures + 1;
                delay = NextDelay(settings.Interval, failures, Random.Shared.NextDouble());
                if (!skip)
                {
                    // Before the status: whoever sees this cycle recorded sees the process as it idles.
                    ReleaseCycleMemory();
                }

                var now = time.GetUtcNow();
                status.Record(result, now, now + delay, observeOnly: api is null);
            }

            try
            {
                reason = await trigger.WaitAsync(delay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await watching.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
    }

    /// <summary>Waits, retrying with back-off, until this process holds the state directory; null when stopped first.</summary>
    private async Task<StateLock?> AcquireStateLockAsync(ReconcileOptions settings, CancellationToken stoppingToken)
    {
        for (var attempts = 1; ; attempts++)
        {
            if (StateLock.TryAcquire(settings.StateDirectory, "run", out var holder) is { } acquired)
            {
                return acquired;
            }

            _logger.LogError("{Holder}", holder);
            var delay = NextDelay(settings.Interval, attempts, Random.Shared.NextDouble());
            var now = time.GetUtcNow();
            status.Record(Failure(ReconcileReason.StateDirectoryLocked, holder), now, now + delay, status.Snapshot().ObserveOnly);
            try
            {
                await trigger.WaitAsync(delay, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// A full cycle parses the whole tree and every live object, then the process idles until the next one:
    /// without a collection here the GC would keep that garbage's memory committed for the whole interval.
    /// An aggressive collection of a heap that holds only the inventory and fingerprints takes milliseconds
    /// and gives the memory back to the system (measured by eng/benchmark.sh: resident memory after cycles).
    /// </summary>
    private static void ReleaseCycleMemory() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    private static ReconcileResult Failure(ReconcileReason reason, string message) =>
        new(false, reason, message, string.Empty, null, Apply.ChangeSet.Empty, new Dictionary<string, int>(), TimeSpan.Zero, 0);

    /// <summary>Scheduled cycles that may skip the apply in a row before a full one.</summary>
    internal const int FullCycleEvery = 10;

    /// <summary>The interval after a success; after n failures 2^n seconds (+ up to 20% jitter), capped at the interval.</summary>
    internal static TimeSpan NextDelay(TimeSpan interval, int failures, double jitter)
    {
        if (failures == 0)
        {
            return interval;
        }

        var backoff = TimeSpan.FromSeconds(Math.Pow(2, Math.Min(failures, 16)));
        var capped = backoff < interval ? backoff : interval;
        return capped * (1 + (0.2 * jitter));
    }

    private KubeApi? TryConnect(string? kubeconfig)
    {
        try
        {
            if (KubeApi.Connect(kubeconfig) is { } api)
            {
                _logger.LogInformation("Reconciling into the cluster at {Server}", api.Server);
                return api;
            }

            _logger.LogWarning("observe-only: {Reason}; fetching and building, applying nothing", KubeApi.NoCluster);
        }
        catch (Exception ex) when (ex is KubeconfigException or IOException)
        {
            _logger.LogWarning("observe-only: the cluster configuration is unusable ({Reason}); fetching and building, applying nothing", ex.Message);
        }

        return null;
    }
}
