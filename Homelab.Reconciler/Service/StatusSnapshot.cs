namespace Homelab.Reconciler.Service;

/// <summary>What <c>GET /status</c> answers. No secret is ever part of it.</summary>
public sealed record StatusSnapshot(
    bool Ready,
    string Reason,
    string Message,
    string? LastAppliedRevision,
    string? LastAttemptedRevision,
    DateTimeOffset? LastReconcileAt,
    TimeSpan? LastDuration,
    DateTimeOffset? NextReconcileAt,
    bool Suspended,
    bool ObserveOnly,
    IReadOnlyDictionary<string, int> Inventory,
    string? Fight);
