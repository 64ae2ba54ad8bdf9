using Homelab.Reconciler.Health;
using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Status;

namespace Homelab.Reconciler.Notifications;

/// <summary>
/// Pure functions from the previous state and a new outcome to the next state and at most one notification: the same
/// state every interval says nothing (Flux's most-voted complaint is an alert per interval).
/// </summary>
public static class TransitionDetector
{
    /// <summary>A cycle ended with <paramref name="result"/> at <paramref name="at"/>.</summary>
    public static (NotificationState State, Notification? Event) Observe(NotificationState previous, ReconcileResult result, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Reason == ReconcileReason.Progressing)
        {
            // Applied, health not yet known: the next cycle says how it ended.
            return (previous, null);
        }

        var revision = result.AttemptedRevision.Length > 0 ? result.AttemptedRevision : null;
        if (!result.Ready)
        {
            var failed = result.Reason == ReconcileReason.HealthCheckFailed ? result.Unhealthy.FirstOrDefault(u => u.Health.State == HealthState.Failed) : null;
            var @object = (failed ?? (result.Unhealthy.Count > 0 ? result.Unhealthy[0] : null))?.Target.ToString();
            var failure = new FailureState(result.Reason, result.File ?? @object, failed is not null);
            var failing = previous with { Known = true, Failure = failure, Revision = result.AppliedRevision ?? previous.Revision };
            return failure == previous.Failure
                ? (failing, null)
                : (failing, new Notification(failed is null ? NotificationKind.Failing : NotificationKind.WorkloadFailed, result.Reason.ToString(), revision, result.File is null ? @object : null, result.File, result.Message, at));
        }

        var next = previous with { Known = true, Failure = null, Revision = result.AppliedRevision ?? previous.Revision };
        if (previous.Failure is { } was)
        {
            return was.Workload
                ? (next, new Notification(NotificationKind.WorkloadRecovered, result.Reason.ToString(), revision, was.Subject, null, $"{was.Subject} is healthy again; {result.Message}", at))
                : (next, new Notification(NotificationKind.Recovered, result.Reason.ToString(), revision, null, null, $"recovered from {was.Reason}{(was.Subject is null ? string.Empty : $" ({was.Subject})")}; {result.Message}", at));
        }

        // Before the first outcome the last applied revision is unknown: only a cycle that changed something applied a new one.
        var applied = result.AppliedRevision is not null
            && (previous.Known ? !string.Equals(previous.Revision, result.AppliedRevision, StringComparison.Ordinal) : result.Changes.HasChanges);
        return applied
            ? (next, new Notification(NotificationKind.RevisionApplied, result.Reason.ToString(), result.AppliedRevision, null, null, result.Message, at))
            : (next, null);
    }

    /// <summary>
    /// A fight was reported at <paramref name="at"/>. The drift watch reports a fight each time it gives up on an object (about
    /// once an interval while it lasts): one reported again within <paramref name="quiet"/> of its last report is the same fight.
    /// </summary>
    public static (NotificationState State, Notification? Event) ObserveFight(NotificationState previous, FightReport fight, DateTimeOffset at, TimeSpan quiet)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(fight);
        var ongoing = previous.Fights.TryGetValue(fight.Target, out var last) && at - last <= quiet;
        var fights = previous.Fights.RemoveRange(previous.Fights.Where(f => at - f.Value > quiet).Select(f => f.Key)).SetItem(fight.Target, at);
        var next = previous with { Fights = fights };
        return ongoing ? (next, null) : (next, new Notification(NotificationKind.FightStarted, "Fight", previous.Revision, fight.Target, null, fight.Message, at));
    }
}
