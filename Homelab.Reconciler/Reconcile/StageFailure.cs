namespace Homelab.Reconciler.Reconcile;

/// <summary>Why a stage failed: the cycle's typed reason, what it could not reach, one line for people and the file at fault when known.</summary>
internal sealed record StageFailure(ReconcileReason Reason, Blocker BlockedOn, string Message, string? File = null);
