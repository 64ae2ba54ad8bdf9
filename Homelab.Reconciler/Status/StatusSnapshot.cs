namespace Homelab.Reconciler.Status;

/// <summary>
/// What <c>GET /status</c> answers, with named members (it is only ever built by name or changed with
/// <c>with</c>). No secret is ever part of it. Read back by bootstrap from a pod's answer: only what every
/// version writes is required.
/// </summary>
public sealed record StatusSnapshot
{
    public required bool Ready { get; init; }

    /// <summary>A <see cref="Reconcile.ReconcileReason"/>'s name.</summary>
    public required string Reason { get; init; }

    public required string Message { get; init; }

    public string? LastAppliedRevision { get; init; }

    public string? LastAttemptedRevision { get; init; }

    public DateTimeOffset? LastReconcileAt { get; init; }

    public TimeSpan? LastDuration { get; init; }

    public DateTimeOffset? NextReconcileAt { get; init; }

    public bool Suspended { get; init; }

    public bool ObserveOnly { get; init; }

    /// <summary>Managed objects by kind, as the last cycle that read the inventory counted them (none before one did).</summary>
    public IReadOnlyDictionary<string, int> Inventory { get; init; } = new Dictionary<string, int>();

    /// <summary>Who keeps changing an object back, when someone does.</summary>
    public string? Fight { get; init; }

    /// <summary>Ready, Progressing (the first cycle runs, or health was not known yet) or Failed; <see cref="Reason"/> says why.</summary>
    public string State => StateOf(Ready, Reason);

    /// <summary>What is followed; null when no source is configured.</summary>
    public TrackedSource? Source { get; init; }

    /// <summary>The last cycles, newest first (at most <see cref="ReconcileStatus.CycleHistory"/>).</summary>
    public IReadOnlyList<CycleSummary> Cycles { get; init; } = [];

    /// <summary>Every object of the inventory, in apply order, with its health as the last health wait saw it.</summary>
    public IReadOnlyList<ManagedObject> Objects { get; init; } = [];

    /// <summary>Ready; Progressing when not ready for <see cref="Reconcile.ReconcileReason.Progressing"/>; else Failed.</summary>
    public static string StateOf(bool ready, string reason) =>
        ready ? "Ready" : reason == nameof(Reconcile.ReconcileReason.Progressing) ? "Progressing" : "Failed";
}
