namespace Homelab.Reconciler.Reconcile;

/// <summary>Why a stage failed: the cycle's typed reason, what it could not reach and one line for people.</summary>
internal sealed record StageFailure(ReconcileReason Reason, Blocker BlockedOn, string Message);
