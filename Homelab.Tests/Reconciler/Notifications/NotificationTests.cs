using Homelab.Reconciler.Notifications;

namespace Homelab.Tests.Reconciler.Notifications;

/// <summary>What a notification says of itself: title, severity and the webhook's stable kind names.</summary>
public sealed class NotificationTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 21, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(NotificationKind.RevisionApplied, "revision-applied", NotificationSeverity.Info, "Homelab applied main@0123456789ab")]
    [InlineData(NotificationKind.Failing, "failing", NotificationSeverity.Failure, "Homelab failing: BuildFailed in clusters/test/b.yaml")]
    [InlineData(NotificationKind.Recovered, "recovered", NotificationSeverity.Success, "Homelab recovered at main@0123456789ab")]
    [InlineData(NotificationKind.WorkloadFailed, "workload-failed", NotificationSeverity.Failure, "Homelab workload failed in clusters/test/b.yaml")]
    [InlineData(NotificationKind.WorkloadRecovered, "workload-recovered", NotificationSeverity.Success, "Homelab workload recovered in clusters/test/b.yaml")]
    [InlineData(NotificationKind.FightStarted, "fight-started", NotificationSeverity.Failure, "Homelab fight in clusters/test/b.yaml")]
    public void Each_kind_has_its_stable_name_severity_and_title(NotificationKind kind, string name, NotificationSeverity severity, string title)
    {
        var notification = new Notification(kind, "BuildFailed", "main@sha1:0123456789abcdef0123456789abcdef01234567", null, "clusters/test/b.yaml", "why", At);

        Assert.Equal((name, severity, title), (notification.KindName, notification.Severity, notification.Title));
    }

    [Fact]
    public void A_title_names_the_object_when_there_is_no_file_and_a_revision_without_a_branch_as_is()
    {
        Assert.Equal("Homelab workload failed in Deployment/media/web", new Notification(NotificationKind.WorkloadFailed, "HealthCheckFailed", null, "Deployment/media/web", null, "why", At).Title);
        Assert.Equal("Homelab applied 0123456789ab", new Notification(NotificationKind.RevisionApplied, "ReconciliationSucceeded", "0123456789abcdef", null, null, "why", At).Title);
        Assert.Equal("Homelab recovered at an unknown revision", new Notification(NotificationKind.Recovered, "ReconciliationSucceeded", null, null, null, "why", At).Title);
    }
}
