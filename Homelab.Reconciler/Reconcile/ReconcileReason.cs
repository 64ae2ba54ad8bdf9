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

    /// <summary>A SOPS-encrypted object of the revision cannot be decrypted (no key, a wrong key, a tampered value, a bad MAC).</summary>
    DecryptionFailed,
}
