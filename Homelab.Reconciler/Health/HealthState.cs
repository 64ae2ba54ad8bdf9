namespace Homelab.Reconciler.Health;

/// <summary>An applied object's health, as gitops-engine and kstatus type it.</summary>
public enum HealthState
{
    /// <summary>Ready: rolled out, established, complete.</summary>
    Healthy,

    /// <summary>Not ready yet, and nothing says it will not get there: wait.</summary>
    Progressing,

    /// <summary>
    /// Short of what was asked in a way that needs a change (a replica cannot be created, a container cannot
    /// pull its image or crash-loops): stop waiting, and say why.
    /// </summary>
    Degraded,

    /// <summary>Will not get there without a change (a failed Job, a rollout past its deadline): stop waiting.</summary>
    Failed,

    /// <summary>Applied, then not found on the server (deleted by someone else): stop waiting. gitops-engine's Missing.</summary>
    Missing,

    /// <summary>Not checked: observe-only, a health wait that ended early, or no cycle has checked it yet.</summary>
    Unknown,
}
