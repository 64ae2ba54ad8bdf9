using Homelab.Reconciler.Apply;

namespace Homelab.Reconciler.Reconcile;

/// <summary>
/// What the long-running service and a cycle tell each other while it runs: the revision once fetched
/// (for <c>/status</c>), what was applied before the health wait (so drift is judged during it), and a
/// signal that ends the health wait early because another cycle was asked for (drift, webhook).
/// </summary>
public sealed class CycleSignals
{
    /// <summary>Cancelled when the health wait should end now; the cycle then reports its health as not yet known.</summary>
    public CancellationToken HealthWaitEnds { get; init; }

    /// <summary>Why the health wait ended early (the request that ended it), for the message.</summary>
    public Func<string>? WhyEnded { get; init; }

    /// <summary>Called with the revision as soon as the fetch has it.</summary>
    public Action<string>? Fetched { get; init; }

    /// <summary>Called with what was applied and pruned, before the health wait.</summary>
    public Action<ChangeSet>? Applied { get; init; }
}
