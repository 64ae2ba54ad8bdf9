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
}
