namespace Homelab.Reconciler.Health;

/// <summary>An applied object's health, as gitops-engine and kstatus type it.</summary>
public enum HealthState
{
    /// <summary>Ready: rolled out, established, complete.</summary>
    Healthy,

    /// <summary>Not ready yet, and nothing says it will not get there: wait.</summary>
    Progressing,

    /// <summary>Running but short of what was asked (a replica cannot be created): wait, and say so.</summary>
    Degraded,

    /// <summary>Will not get there without a change (a failed Job, a rollout past its deadline): stop waiting.</summary>
    Failed,
}
