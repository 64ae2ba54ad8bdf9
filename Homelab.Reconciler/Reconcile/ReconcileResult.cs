using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Health;
using Homelab.Reconciler.Kubernetes;

namespace Homelab.Reconciler.Reconcile;

/// <summary>
/// The outcome of one cycle, built by one factory per kind of ending: named members, so that no count or
/// revision lands in another's place.
/// </summary>
public sealed record ReconcileResult
{
    private ReconcileResult()
    {
    }

    /// <summary>True when the revision was applied, pruned and is healthy (or, in a diff, planned).</summary>
    public required bool Ready { get; init; }

    /// <summary>Why it ended so.</summary>
    public required ReconcileReason Reason { get; init; }

    /// <summary>One line for people.</summary>
    public required string Message { get; init; }

    /// <summary>The revision fetched (empty when the fetch failed).</summary>
    public string AttemptedRevision { get; init; } = string.Empty;

    /// <summary>The revision now applied, or null when this cycle applied nothing.</summary>
    public string? AppliedRevision { get; init; }

    /// <summary>What was done (in a diff: what would be).</summary>
    public ChangeSet Changes { get; init; } = ChangeSet.Empty;

    /// <summary>Counts of managed objects by kind; null when this cycle never learnt them (the state directory was locked or unreadable).</summary>
    public IReadOnlyDictionary<string, int>? Inventory { get; init; }

    /// <summary>The inventory's objects as this cycle knew them, in apply order; null when it never read the inventory (as <see cref="Inventory"/>).</summary>
    public IReadOnlyList<ObjectReference>? Objects { get; init; }

    /// <summary>Each applied object's health when this cycle's health wait ended; null when the cycle did not wait for health.</summary>
    public IReadOnlyList<ObjectHealth>? Health { get; init; }

    /// <summary>How long the cycle took; the pipeline stamps it as the cycle ends.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>
    /// How many objects this cycle applied (0: none, so the drift watcher keeps what it follows). A count, not
    /// the objects: nothing of a cycle's JSON outlives the cycle.
    /// </summary>
    public int Applied { get; init; }

    /// <summary>What the cycle could not reach; <see cref="Blocker.None"/> when it reached all it needs (a broken commit included).</summary>
    public Blocker BlockedOn { get; init; }

    /// <summary>The file a failure names (a build error's file, relative to the repository root); null when none.</summary>
    public string? File { get; init; }

    /// <summary>What was not healthy when this cycle's health wait ended, in <see cref="Health"/>'s order; empty when it did not wait.</summary>
    public IReadOnlyList<ObjectHealth> Unhealthy => Health?.Where(h => h.Health.State != HealthState.Healthy).ToList() ?? [];

    /// <summary>The revision was applied, pruned and is healthy.</summary>
    public static ReconcileResult Succeeded(string revision, string message, ChangeSet changes, IReadOnlyDictionary<string, int> inventory, int applied) =>
        new() { Ready = true, Reason = ReconcileReason.ReconciliationSucceeded, Message = message, AttemptedRevision = revision, AppliedRevision = revision, Changes = changes, Inventory = inventory, Applied = applied };

    /// <summary>Git has not moved since <paramref name="revision"/> was applied: nothing was sent to the cluster.</summary>
    public static ReconcileResult Unchanged(string revision, IReadOnlyDictionary<string, int> inventory) =>
        new() { Ready = true, Reason = ReconcileReason.ReconciliationSucceeded, Message = $"Revision {revision} unchanged; drift is watched", AttemptedRevision = revision, AppliedRevision = revision, Inventory = inventory };

    /// <summary>Fetched and built, nothing applied: no cluster (observe-only), or a diff's plan in <paramref name="changes"/>.</summary>
    public static ReconcileResult Planned(string revision, string message, ChangeSet changes, IReadOnlyDictionary<string, int> inventory) =>
        new() { Ready = true, Reason = ReconcileReason.ReconciliationSucceeded, Message = message, AttemptedRevision = revision, Changes = changes, Inventory = inventory };

    /// <summary>Applied, but another cycle was asked for before its health was known.</summary>
    public static ReconcileResult Progressing(string revision, string message, ChangeSet changes, IReadOnlyDictionary<string, int> inventory, int applied) =>
        new() { Ready = false, Reason = ReconcileReason.Progressing, Message = message, AttemptedRevision = revision, AppliedRevision = revision, Changes = changes, Inventory = inventory, Applied = applied };

    /// <summary>
    /// A failed cycle: <paramref name="revision"/> is empty before the fetch, <paramref name="inventory"/> null
    /// when the inventory was never read. A health failure sets <see cref="AppliedRevision"/> and <see cref="Applied"/> after.
    /// </summary>
    public static ReconcileResult Failed(ReconcileReason reason, string message, Blocker blockedOn, string revision = "", ChangeSet? changes = null, IReadOnlyDictionary<string, int>? inventory = null) =>
        new() { Ready = false, Reason = reason, Message = message, BlockedOn = blockedOn, AttemptedRevision = revision, Changes = changes ?? ChangeSet.Empty, Inventory = inventory };
}
