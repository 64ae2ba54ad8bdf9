using Homelab.Reconciler.Health;
using Homelab.Reconciler.Kubernetes;
using Homelab.Reconciler.Reconcile;

namespace Homelab.Reconciler.Status;

/// <summary>The reconciler's state, shared by the worker, the endpoints and the health check.</summary>
public sealed class ReconcileStatus
{
    /// <summary>How many finished cycles <see cref="StatusSnapshot.Cycles"/> keeps: enough to see a pattern, bounded in memory.</summary>
    public const int CycleHistory = 20;

    private readonly Lock _lock = new();
    private StatusSnapshot _snapshot = new()
    {
        Ready = false,
        Reason = nameof(ReconcileReason.Progressing),
        Message = "starting",
    };
    private Blocker _blockedOn = Blocker.None;
    private bool _firstCycleReached;

    public StatusSnapshot Snapshot()
    {
        lock (_lock)
        {
            return _snapshot;
        }
    }

    public bool Suspended => Snapshot().Suspended;

    /// <summary>
    /// The last outcome, what it could not reach and whether the first cycle applied, read at one instant:
    /// readiness never pairs one cycle's message with another cycle's blocker.
    /// </summary>
    public (StatusSnapshot Snapshot, Blocker BlockedOn, bool FirstCycleReached) ReadinessState()
    {
        lock (_lock)
        {
            return (_snapshot, _blockedOn, _firstCycleReached);
        }
    }

    public void Record(ReconcileResult result, DateTimeOffset at, DateTimeOffset next, bool observeOnly)
    {
        ArgumentNullException.ThrowIfNull(result);
        // The blocker and the snapshot change under one lock: see ReadinessState.
        lock (_lock)
        {
            _blockedOn = result.BlockedOn;
            _snapshot = _snapshot with
            {
                Ready = result.Ready,
                Reason = result.Reason.ToString(),
                Message = result.Message,
                LastAppliedRevision = result.AppliedRevision ?? _snapshot.LastAppliedRevision,
                LastAttemptedRevision = result.AttemptedRevision,
                LastReconcileAt = at,
                LastDuration = result.Duration,
                NextReconcileAt = next,
                ObserveOnly = observeOnly,
                // A cycle that could not read the inventory (a locked state directory) leaves the last count standing.
                Inventory = result.Inventory ?? _snapshot.Inventory,
                Fight = null,
                Cycles = [Summarize(result, at), .. _snapshot.Cycles.Take(CycleHistory - 1)],
                Objects = Objects(_snapshot.Objects, result, at),
            };
        }
    }

    /// <summary>
    /// A cycle starts. Until the first one ends, /status says it is in progress and what it fetches; later
    /// cycles leave the last outcome standing until they end.
    /// </summary>
    public void BeginCycle(string attempt) =>
        Update(s => s.LastReconcileAt is not null ? s : s with { Reason = nameof(ReconcileReason.Progressing), Message = $"first cycle in progress: fetching {attempt}" });

    /// <summary>The cycle fetched <paramref name="revision"/>: the first cycle's status names it while it applies.</summary>
    public void Fetched(string revision) =>
        Update(s => s.LastReconcileAt is not null ? s : s with { Message = $"first cycle in progress: applying {revision}", LastAttemptedRevision = revision });

    /// <summary>
    /// The first cycle applied: Git and the API server answered. Readiness need not wait for its health wait,
    /// which may include this reconciler's own Deployment, itself waiting for this pod to be ready.
    /// </summary>
    public void Reached()
    {
        lock (_lock)
        {
            _firstCycleReached = true;
        }
    }

    /// <summary>What is followed, known at start; <paramref name="source"/>.Url must carry no credentials.</summary>
    public void SetSource(TrackedSource source) => Update(s => s with { Source = source });

    /// <summary>Known before the first cycle: /status and health say observe-only from the start.</summary>
    public void SetObserveOnly(bool observeOnly) => Update(s => s with { ObserveOnly = observeOnly });

    public void SetSuspended(bool suspended) => Update(s => s with { Suspended = suspended });

    /// <summary>Told of every fight reported, outside the lock (notifications judge whether it is a new one).</summary>
    public event EventHandler<FightReport>? FightReported;

    public void ReportFight(FightReport fight)
    {
        ArgumentNullException.ThrowIfNull(fight);
        Update(s => s with { Fight = fight.Message });
        FightReported?.Invoke(this, fight);
    }

    /// <summary>A finished cycle for the history; <paramref name="endedAt"/> is when it was recorded.</summary>
    private static CycleSummary Summarize(ReconcileResult result, DateTimeOffset endedAt) => new(
        endedAt - result.Duration,
        result.Duration,
        result.Ready,
        result.Reason.ToString(),
        result.AttemptedRevision.Length > 0 ? result.AttemptedRevision : null,
        result.AppliedRevision,
        result.Message,
        result.Changes.Changes.Count > 0 ? result.Changes.Summary() : null);

    /// <summary>
    /// The inventory's objects after <paramref name="result"/>: health from its health wait, else as last judged (a cycle
    /// that did not wait, such as an unchanged revision, leaves it standing), else Unknown. A cycle that never read
    /// the inventory leaves the list as it was, as it leaves the counts.
    /// </summary>
    private static IReadOnlyList<ManagedObject> Objects(IReadOnlyList<ManagedObject> before, ReconcileResult result, DateTimeOffset at)
    {
        if (result.Objects is null)
        {
            return before;
        }

        var judged = new Dictionary<ObjectReference, HealthStatus>();
        foreach (var health in result.Health ?? [])
        {
            judged[health.Target] = health.Health;
        }

        var known = new Dictionary<ObjectReference, ManagedObject>();
        foreach (var managed in before)
        {
            known[new ObjectReference(managed.ApiVersion, managed.Kind, managed.Namespace, managed.Name)] = managed;
        }

        return result.Objects.Select(o =>
            judged.TryGetValue(o, out var health) ? new ManagedObject(o.ApiVersion, o.Kind, o.Namespace, o.Name, health.State.ToString(), health.Message, at)
            : known.TryGetValue(o, out var last) ? last with { ApiVersion = o.ApiVersion }
            : new ManagedObject(o.ApiVersion, o.Kind, o.Namespace, o.Name, nameof(HealthState.Unknown), "no health wait has judged it yet", null)).ToList();
    }

    private void Update(Func<StatusSnapshot, StatusSnapshot> change)
    {
        lock (_lock)
        {
            _snapshot = change(_snapshot);
        }
    }
}
