namespace Homelab.Reconciler.Reconcile;

/// <summary>How far a cycle goes: the same stages and guards for <c>run</c>, <c>reconcile</c> and <c>diff</c>.</summary>
public enum CycleMode
{
    /// <summary>Fetch, build, apply, prune and wait for health.</summary>
    Apply,

    /// <summary>
    /// A scheduled cycle while drift is watched: when Git has not moved since the revision last applied, stop
    /// after the fetch (one ls-remote, no API request). Drift is repaired by the watch.
    /// </summary>
    ApplyWhenChanged,

    /// <summary><c>diff</c>: the server's dry run of the apply and the prune; no write, no inventory saved, no health wait.</summary>
    DryRun,
}
