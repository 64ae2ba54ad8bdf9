namespace Homelab.Reconciler.Notifications;

/// <summary>The transitions that are worth a message; the same state again is none of them.</summary>
public enum NotificationKind
{
    /// <summary>A new revision was applied and is healthy.</summary>
    RevisionApplied,

    /// <summary>Cycles started failing (or now fail for another reason or file/object).</summary>
    Failing,

    /// <summary>The first successful cycle after failures.</summary>
    Recovered,

    /// <summary>A workload turned Failed (a failed Job, a rollout past its deadline, a deleted workload).</summary>
    WorkloadFailed,

    /// <summary>The first successful cycle after a workload failed.</summary>
    WorkloadRecovered,

    /// <summary>Another writer started fighting over an object.</summary>
    FightStarted,
}
