using Homelab.Reconciler.Reconcile;

namespace Homelab.Reconciler.Status;

/// <summary>The reconciler's state, shared by the worker, the endpoints and the health check.</summary>
public sealed class ReconcileStatus
{
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

    private void Update(Func<StatusSnapshot, StatusSnapshot> change)
    {
        lock (_lock)
        {
            _snapshot = change(_snapshot);
        }
    }
}
