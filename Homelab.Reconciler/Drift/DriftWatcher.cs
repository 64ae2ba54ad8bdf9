using System.Text.Json.Nodes;
using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Kubernetes;
using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Status;
using Homelab.Reconciler.Telemetry;
using Homelab.Reconciler.Triggers;

namespace Homelab.Reconciler.Drift;

/// <summary>
/// Watches the kinds the reconciler manages and asks for a cycle as soon as a managed object is deleted
/// or changed out of band (a <c>kubectl edit</c>), instead of waiting for the interval. "Changed" is the
/// server's answer, not a comparison with our YAML: the <see cref="OwnedFields"/> fingerprint of the
/// event's object differs from the one the last cycle recorded. Controllers writing status, and our own
/// writes, leave it equal; events that arrive while a cycle applies are held and judged when it ends,
/// against what it recorded. An object repaired <see cref="FightLimit"/> times within
/// <see cref="FightWindow"/> is being fought over by someone else: it is reported, not repaired again
/// until the next scheduled cycle.
/// </summary>
public sealed class DriftWatcher(KubeApi api, DesiredState desired, ReconcileTrigger trigger, ReconcileStatus status, ILogger<DriftWatcher> logger)
{
    public const int FightLimit = 5;
    public static readonly TimeSpan FightWindow = TimeSpan.FromMinutes(1);

    private readonly Dictionary<ObjectReference, Queue<DateTimeOffset>> _repairs = [];
    private readonly Dictionary<ObjectReference, ObservedChange> _held = [];
    private readonly Lock _lock = new();

    /// <summary>Watches until cancelled, restarting the set of watches when the desired kinds change.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        desired.CycleEnded += OnCycleEnded;
        try
        {
            await WatchDesiredKindsAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            desired.CycleEnded -= OnCycleEnded;
        }
    }

    private void OnCycleEnded(object? sender, EventArgs e) => JudgeHeld();

    private async Task WatchDesiredKindsAsync(CancellationToken cancellationToken)
    {
        var discovery = new ApiDiscovery(api);
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            using var generation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            void OnChanged(object? sender, EventArgs e) => generation.Cancel();
            desired.Changed += OnChanged;
            try
            {
                var collections = new HashSet<string>(StringComparer.Ordinal);
                foreach (var reference in desired.Objects.Keys)
                {
                    if (await discovery.FindAsync(reference.ApiVersion, reference.Kind, generation.Token).ConfigureAwait(false) is { } mapping)
                    {
                        collections.Add(mapping.CollectionPath(reference.Namespace));
                    }
                }

                failures = 0;
                await Task.WhenAll(collections.Select(c => WatchAsync(c, generation.Token)).Append(Task.Delay(Timeout.Infinite, generation.Token))).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (generation.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // The desired set changed: watch the new kinds.
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Discovery failed (server down, a refusal, anything): the watch must never end quietly.
                failures++;
                LogFailure(failures, "Drift watch: finding the kinds to watch failed", ex);
                await Task.Delay(Backoff(failures), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                desired.Changed -= OnChanged;
            }
        }
    }

    /// <summary>After n failures in a row: 0.5 s doubling, capped at 30 s.</summary>
    internal static TimeSpan Backoff(int failures) => ExponentialBackoff.After(failures, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));

    /// <summary>The first failure of a run and every tenth are warnings; the ones between, debug: a long outage is not a flood.</summary>
    private void LogFailure(int failures, string what, Exception ex)
    {
        var level = failures == 1 || failures % 10 == 0 ? LogLevel.Warning : LogLevel.Debug;
        logger.Log(level, "{What} ({Failures} in a row): {Error}: {Reason}; retrying in {Delay} s", what, failures, ex.GetType().Name, ex.Message.ReplaceLineEndings(" "), Backoff(failures).TotalSeconds);
    }

    /// <summary>A new scheduled cycle forgives past fights.</summary>
    public void ResetFights()
    {
        lock (_lock)
        {
            _repairs.Clear();
        }
    }

    private async Task WatchAsync(string collection, CancellationToken cancellationToken)
    {
        var selector = Uri.EscapeDataString($"{Ownership.ManagedByLabel}={Ownership.ManagedByValue}");
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var delay = TimeSpan.FromMilliseconds(500);
            try
            {
                using var response = await api.WatchAsync(collection, $"&labelSelector={selector}", cancellationToken).ConfigureAwait(false);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    if (JsonNode.Parse(line, documentOptions: ServerJson.Reading) is JsonObject watchEvent)
                    {
                        Inspect(watchEvent["type"]?.GetValue<string>(), watchEvent["object"] as JsonObject);
                    }
                }

                // The server ends watches now and then: reopen.
                failures = 0;
                logger.LogDebug("Watch on {Collection} ended; reopening", collection);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Any error at all (connection, refusal, a malformed event, a bug): logged, retried with back-off.
                failures++;
                delay = Backoff(failures);
                LogFailure(failures, $"Watch on {collection} failed", ex);
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    internal void Inspect(string? type, JsonObject? live)
    {
        if (live is null || type is not ("MODIFIED" or "DELETED" or "ADDED"))
        {
            return;
        }

        var reference = ObjectReference.Of(live);
        if (!desired.Objects.ContainsKey(reference))
        {
            return;
        }

        // Only what judging needs is kept: a cycle writing a thousand objects holds a thousand of these.
        var change = new ObservedChange(type == "DELETED", OwnedFields.Fingerprint(live), LastManager(live));
        lock (_lock)
        {
            if (desired.Applying)
            {
                // Most likely our own write: judge the latest state once the cycle has recorded what it wrote.
                _held[reference] = change;
                return;
            }
        }

        Judge(reference, change);
    }

    private void JudgeHeld()
    {
        List<KeyValuePair<ObjectReference, ObservedChange>> held;
        lock (_lock)
        {
            held = [.. _held];
            _held.Clear();
        }

        foreach (var (reference, change) in held)
        {
            if (desired.Objects.ContainsKey(reference))
            {
                Judge(reference, change);
            }
        }
    }

    private void Judge(ObjectReference reference, ObservedChange change)
    {
        if (!change.Deleted && !Drifted(reference, change.Fingerprint))
        {
            return;
        }

        if (IsFight(reference))
        {
            var message = $"{reference} keeps being changed by someone else ({change.LastManager}); repaired {FightLimit} times in {FightWindow.TotalSeconds:0} s, left until the next interval";
            status.ReportFight(new FightReport(reference.ToString(), change.LastManager, message));
            logger.LogWarning("{Message}", message);
            return;
        }

        ReconcilerTelemetry.RecordDriftRepair(reference.Kind);
        logger.LogInformation("Drift: {Object} was {Change} out of band; reconciling", reference, change.Deleted ? "deleted" : "changed");
        trigger.Request($"drift: {reference}");
    }

    /// <summary>
    /// Our fields as stored differ from what the last cycle recorded. An object without our Apply entry
    /// yet (mid-create on a server that creates by POST first) or without a recorded fingerprint
    /// (reconcile disabled) is not judged: the next full cycle looks at it.
    /// </summary>
    private bool Drifted(ObjectReference reference, string? current) =>
        desired.Objects.GetValueOrDefault(reference) is { } recorded
        && current is not null
        && !string.Equals(recorded, current, StringComparison.Ordinal);

    private bool IsFight(ObjectReference reference)
    {
        var now = DateTimeOffset.UtcNow;
        lock (_lock)
        {
            if (!_repairs.TryGetValue(reference, out var times))
            {
                _repairs[reference] = times = new Queue<DateTimeOffset>();
            }

            while (times.Count > 0 && now - times.Peek() > FightWindow)
            {
                times.Dequeue();
            }

            if (times.Count >= FightLimit)
            {
                return true;
            }

            times.Enqueue(now);
            return false;
        }
    }

    private static string LastManager(JsonObject live) =>
        live["metadata"]?["managedFields"]?.AsArray().OfType<JsonObject>()
            .Where(f => f["manager"]?.GetValue<string>() != Ownership.FieldManager)
            .Select(f => f["manager"]?.GetValue<string>())
            .LastOrDefault() ?? "unknown manager";
}
