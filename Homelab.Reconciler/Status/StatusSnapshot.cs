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
}
