namespace Homelab.Reconciler.Notifications;

/// <summary>One transition, as every provider is told it.</summary>
/// <param name="Kind">What changed.</param>
/// <param name="Reason">The cycle's typed reason (a <see cref="Reconcile.ReconcileReason"/>'s name), or <c>Fight</c>.</param>
/// <param name="Revision">The revision attempted or applied; null when none was fetched.</param>
/// <param name="Target">The object it names (<c>Kind/namespace/name</c>); null when none.</param>
/// <param name="File">The file it names, relative to the repository root; null when none.</param>
/// <param name="Message">One line for people.</param>
/// <param name="At">When the transition was seen.</param>
public sealed record Notification(NotificationKind Kind, string Reason, string? Revision, string? Target, string? File, string Message, DateTimeOffset At)
{
    /// <summary>The kind as the webhook's schema spells it: stable, whatever the enum is renamed to.</summary>
    public string KindName => Kind switch
    {
        NotificationKind.RevisionApplied => "revision-applied",
        NotificationKind.Failing => "failing",
        NotificationKind.Recovered => "recovered",
        NotificationKind.WorkloadFailed => "workload-failed",
        NotificationKind.WorkloadRecovered => "workload-recovered",
        NotificationKind.FightStarted => "fight-started",
        _ => Kind.ToString(),
    };

    public NotificationSeverity Severity => Kind switch
    {
        NotificationKind.Failing or NotificationKind.WorkloadFailed or NotificationKind.FightStarted => NotificationSeverity.Failure,
        NotificationKind.Recovered or NotificationKind.WorkloadRecovered => NotificationSeverity.Success,
        _ => NotificationSeverity.Info,
    };

    /// <summary>A short title: what happened and to what.</summary>
    public string Title => Kind switch
    {
        NotificationKind.RevisionApplied => $"Homelab applied {Short(Revision)}",
        NotificationKind.Failing => $"Homelab failing: {Reason}{Where}",
        NotificationKind.Recovered => $"Homelab recovered at {Short(Revision)}",
        NotificationKind.WorkloadFailed => $"Homelab workload failed{Where}",
        NotificationKind.WorkloadRecovered => $"Homelab workload recovered{Where}",
        NotificationKind.FightStarted => $"Homelab fight{Where}",
        _ => "Homelab",
    };

    private string Where => (File ?? Target) is { } subject ? $" in {subject}" : string.Empty;

    /// <summary>A revision as people read it: <c>main@sha1:&lt;40 hex&gt;</c> as <c>main@0123456789ab</c>.</summary>
    private static string Short(string? revision)
    {
        if (revision is null)
        {
            return "an unknown revision";
        }

        var at = revision.IndexOf('@', StringComparison.Ordinal);
        var commit = revision[(revision.LastIndexOf(':') + 1)..];
        return (at > 0 ? revision[..(at + 1)] : string.Empty) + (commit.Length > 12 ? commit[..12] : commit);
    }
}
