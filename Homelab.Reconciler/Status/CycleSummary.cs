namespace Homelab.Reconciler.Status;

/// <summary>One finished cycle, as <c>/status</c> and the status page list the last ones.</summary>
/// <param name="StartedAt">When the cycle started.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Ready">Whether it ended ready.</param>
/// <param name="Reason">A <see cref="Reconcile.ReconcileReason"/>'s name.</param>
/// <param name="Revision">The revision it fetched; null when it failed before the fetch.</param>
/// <param name="AppliedRevision">The revision it applied; null when it applied nothing.</param>
/// <param name="Message">Its one line for people.</param>
/// <param name="Changes">What it did ("1 created, 2 unchanged"); null when it changed nothing.</param>
public sealed record CycleSummary(DateTimeOffset StartedAt, TimeSpan Duration, bool Ready, string Reason, string? Revision, string? AppliedRevision, string Message, string? Changes)
{
    /// <summary>Ready, Progressing or Failed, as <see cref="StatusSnapshot.State"/>.</summary>
    public string State => StatusSnapshot.StateOf(Ready, Reason);
}
