using Homelab.Reconciler.Reconcile;

namespace Homelab.Reconciler.Notifications;

/// <summary>What a failing cycle failed on: a cycle failing on the same is the same state, and is not notified again.</summary>
/// <param name="Reason">The typed reason.</param>
/// <param name="Subject">The file or object it names; null when it names none.</param>
/// <param name="Workload">A workload turned Failed (rather than a stage failing).</param>
public sealed record FailureState(ReconcileReason Reason, string? Subject, bool Workload);
