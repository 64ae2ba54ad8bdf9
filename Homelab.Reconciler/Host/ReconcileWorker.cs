using Homelab.Kustomize;
using Homelab.Reconciler.Drift;
using Homelab.Reconciler.Kubernetes;
using Homelab.Reconciler.Notifications;
using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Source;
using Homelab.Reconciler.Status;
using Homelab.Reconciler.Triggers;
using Microsoft.Extensions.Options;

namespace Homelab.Reconciler.Host;

/// <summary>
/// Reconciles on the interval, one cycle at a time, backing off (capped, with jitter) after failures;
/// a trigger (webhook, drift, "Reconcile now") starts a cycle at once and ends a cycle's health wait.
/// Suspended, it skips cycles. Without a reachable cluster configuration it runs observe-only: it keeps
/// fetching and building and applies nothing, instead of crashing. Nothing ends the loop but stopping:
/// a state directory it cannot use, a lock held elsewhere or an unexpected error is a typed failed cycle,
/// retried, and recovers by itself once the cause is gone (issue 17: a lock it could not open stopped it
/// for good). Should it still end or stall, <see cref="LoopLiveness"/> fails <c>/alive</c>.
/// </summary>
internal sealed class ReconcileWorker(
    IOptions<ReconcileOptions> options,
    ReconcileStatus status,
    ReconcileTrigger trigger,
    DesiredState desired,
    Suspension suspension,
    LoopLiveness liveness,
    Notifier notifier,
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
            // Every cycle's failure is caught where it happens: this is a bug. The host stays up so that
            // /status says what happened, and liveness fails so that the kubelet restarts the process.
            _logger.LogCritical(ex, "The reconcile loop stopped; /alive fails so that the process is restarted");
            var message = $"the reconcile loop stopped: {ex.GetType().Name}: {ex.Message}";
            liveness.Ended(message);
            var now = time.GetUtcNow();
            status.Record(ReconcileResult.Failed(ReconcileReason.ReconciliationFailed, message, Blocker.Unexpected), now, now, status.Snapshot().ObserveOnly);
        }
    }

    private async Task ReconcileAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!string.IsNullOrWhiteSpace(settings.Source))
        {
            // Before the first await: the status page names the source from the moment the host has started.
            status.SetSource(new TrackedSource(UrlRedactor.ForDisplay(settings.Source), settings.Ref, settings.Path));
        }

        if (string.IsNullOrWhiteSpace(settings.Source))
        {
            _logger.LogWarning("No source configured (Reconciler:Source): nothing to reconcile");
            liveness.Idle();
            return;
        }

        suspension.Restore();
        ReconcileSession? session = null;
        try
        {
            var failures = 0;
            var cheapCycles = 0;
            string? reason = "start";
            while (!stoppingToken.IsCancellationRequested)
            {
                liveness.Beat();
                var delay = settings.Interval;
                if (status.Suspended)
                {
                    _logger.LogInformation("Suspended: skipping the cycle ({Reason})", reason);
                }
                else
                {
                    if (reason is not null and not "start" && !reason.StartsWith("drift", StringComparison.Ordinal))
                    {
                        // Requests log no line of their own (per-request logging is quiet): say who asked.
                        _logger.LogInformation("Reconciling now: {Reason}", reason);
                    }

                    ReconcileResult result;
                    var skip = false;
                    if (session is null)
                    {
                        (session, var refused) = Start(settings);
                        result = refused ?? await CycleAsync(session!, skip, stoppingToken).ConfigureAwait(false);
                    }
                    else
                    {
                        // A scheduled cycle after a success, while the watch repairs drift, may stop after an unchanged
                        // ls-remote; every FullCycleEvery-th one still applies everything, in case a watch event was missed.
                        skip = reason is null && failures == 0 && session.Drift is not null && cheapCycles < FullCycleEvery;
                        if (reason is null)
                        {
                            // A scheduled cycle: whoever fought us gets another chance.
                            session.Drift?.ResetFights();
                        }

                        result = await CycleAsync(session, skip, stoppingToken).ConfigureAwait(false);
                    }

                    if (result.BlockedOn == Blocker.Unexpected && session is not null)
                    {
                        // Nobody knows what state it left behind: the next cycle starts from nothing.
                        await session.DisposeAsync().ConfigureAwait(false);
                        session = null;
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
                    status.Record(result, now, now + delay, observeOnly: session is null ? status.Snapshot().ObserveOnly : session.Api is null);
                    // Queued, never sent here: a dead receiver cannot slow the loop.
                    notifier.Observe(result);
                }

                liveness.Beat();
                try
                {
                    reason = await trigger.WaitAsync(delay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            if (session is not null)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Takes the state directory and connects: the session, or the typed failure that kept it from starting
    /// (the directory held by another process, or one this process cannot create, lock or write).
    /// </summary>
    private (ReconcileSession? Session, ReconcileResult? Refused) Start(ReconcileOptions settings)
    {
        StateLock? stateLock;
        try
        {
            stateLock = StateLock.TryAcquire(settings.StateDirectory, "run", out var holder);
            if (stateLock is null)
            {
                _logger.LogError("{Holder}", holder);
                return (null, ReconcileResult.Failed(ReconcileReason.StateDirectoryLocked, holder, Blocker.StateDirectory));
            }
        }
        catch (StateDirectoryException ex)
        {
            _logger.LogError("{Problem}", ex.Message);
            return (null, ReconcileResult.Failed(ReconcileReason.StateDirectoryUnavailable, ex.Message, Blocker.StateDirectory));
        }

        KubeApi? api;
        try
        {
            api = TryConnect(settings.Kubeconfig);
        }
        catch (Exception ex)
        {
            stateLock.Dispose();
            var message = $"the cluster configuration cannot be used: {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}";
            _logger.LogError("{Problem}; retrying", message);
            return (null, ReconcileResult.Failed(ReconcileReason.ReconciliationFailed, message, Blocker.ApiServer));
        }

        status.SetObserveOnly(api is null);
        var pipeline = new ReconcilePipeline(
            new GitSource(settings.SourceOptions(), loggers.CreateLogger<GitSource>()),
            new KustomizeBuilder(BuildLimits.Default),
            api,
            settings,
            loggers.CreateLogger<ReconcilePipeline>());
        var session = new ReconcileSession(stateLock, api, pipeline);
        if (api is not null)
        {
            session.Watch(new DriftWatcher(api, desired, trigger, status, loggers.CreateLogger<DriftWatcher>()), why =>
            {
                _logger.LogCritical("{Problem}; /alive fails so that the process is restarted", why);
                liveness.Ended(why);
            });
        }

        return (session, null);
    }

    /// <summary>One cycle; whatever goes wrong in it is its typed result, never an exception (stopping aside).</summary>
    private async Task<ReconcileResult> CycleAsync(ReconcileSession session, bool skip, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        status.BeginCycle($"{UrlRedactor.Redact(settings.Source)} at {settings.Ref}");
        desired.BeginCycle();
        var ended = false;
        ReconcileResult? result = null;
        var signals = new CycleSignals
        {
            HealthWaitEnds = trigger.Arrived,
            WhyEnded = () => trigger.LastReason,
            Fetched = status.Fetched,
            Applied = changes =>
            {
                // What is applied is known before the health wait: drift during it is judged, not held.
                ended = true;
                desired.EndCycle(changes);
                status.Reached();
            },
        };
        try
        {
            result = await session.Pipeline.RunAsync(skip, signals, stoppingToken).ConfigureAwait(false);
            return result;
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            _logger.LogError(ex, "A cycle failed unexpectedly; the next one starts afresh");
            return ReconcileResult.Failed(ReconcileReason.ReconciliationFailed, $"the cycle failed unexpectedly: {ex.GetType().Name}: {ex.Message.ReplaceLineEndings(" ")}", Blocker.Unexpected);
        }
        finally
        {
            if (!ended)
            {
                // Always ended, or the drift watcher would hold its events for ever.
                desired.EndCycle(result is { Applied: > 0 } ? result.Changes : null);
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

    /// <summary>Scheduled cycles that may skip the apply in a row before a full one.</summary>
    internal const int FullCycleEvery = 10;

    /// <summary>The interval after a success; after n failures 2^n seconds (+ up to 20% jitter), capped at the interval.</summary>
    internal static TimeSpan NextDelay(TimeSpan interval, int failures, double jitter)
    {
        if (failures == 0)
        {
            return interval;
        }

        return ExponentialBackoff.After(failures, TimeSpan.FromSeconds(2), interval) * (1 + (0.2 * jitter));
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
