namespace Homelab.Reconciler.Reconcile;

/// <summary>Why the last reconcile ended as it did (Flux's typed reasons).</summary>
public enum ReconcileReason
{
    Progressing,
    StateDirectoryLocked,
    ReconciliationSucceeded,
    ArtifactFailed,
    BuildFailed,
    EmptyRevisionRefused,
    ReconciliationFailed,
    PruneFailed,
    HealthCheckFailed,

    /// <summary>The state directory (working copy, inventories, lock) cannot be created, locked, read or written.</summary>
    StateDirectoryUnavailable,
}
