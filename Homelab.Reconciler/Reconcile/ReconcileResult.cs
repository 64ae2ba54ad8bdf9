using Homelab.Reconciler.Apply;

namespace Homelab.Reconciler.Reconcile;

/// <summary>The outcome of one cycle.</summary>
/// <param name="Ready">True when the revision was applied, pruned and is healthy.</param>
/// <param name="Reason">Why it ended so.</param>
/// <param name="Message">One line for people.</param>
/// <param name="AttemptedRevision">The revision fetched (empty when the fetch failed).</param>
/// <param name="AppliedRevision">The revision now applied, or null when this cycle applied nothing.</param>
/// <param name="Changes">What was done.</param>
/// <param name="Inventory">Counts of managed objects by kind.</param>
/// <param name="Duration">How long the cycle took.</param>
/// <param name="Applied">
/// How many objects this cycle applied (0: none, so the drift watcher keeps what it follows). A count, not
/// the objects: nothing of a cycle's JSON outlives the cycle.
/// </param>
public sealed record ReconcileResult(
    bool Ready,
    ReconcileReason Reason,
    string Message,
    string AttemptedRevision,
    string? AppliedRevision,
    ChangeSet Changes,
    IReadOnlyDictionary<string, int> Inventory,
    TimeSpan Duration,
    int Applied)
{
    /// <summary>What the cycle could not reach; <see cref="Blocker.None"/> when it reached all it needs (a broken commit included).</summary>
    public Blocker BlockedOn { get; init; }
}
