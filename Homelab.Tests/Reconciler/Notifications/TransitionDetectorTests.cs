using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Health;
using Homelab.Reconciler.Kubernetes;
using Homelab.Reconciler.Notifications;
using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Status;

namespace Homelab.Tests.Reconciler.Notifications;

/// <summary>The transition detector as a table: previous state, outcome, at most one notification; the same state again says nothing.</summary>
public sealed class TransitionDetectorTests
{
    private const string First = "1111111111111111111111111111111111111111";
    private const string Second = "2222222222222222222222222222222222222222";
    private static readonly DateTimeOffset At = new(2026, 12, 4, 21, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, int> Inventory = new() { ["Deployment"] = 1 };
    private static readonly ObjectReference Web = new("apps/v1", "Deployment", "media", "web");
    private static readonly ChangeSet Configured = new([new Change(Web, ChangeAction.Configured)]);
    private static readonly ChangeSet Unchanged = new([new Change(Web, ChangeAction.Unchanged)]);

    private static ReconcileResult Applied(string revision, ChangeSet changes) => ReconcileResult.Succeeded(revision, $"Applied revision {revision}: {changes.Summary()}", changes, Inventory, 1);

    private static ReconcileResult BuildFailed(string revision, string file) =>
        ReconcileResult.Failed(ReconcileReason.BuildFailed, $"{file}: line 2: bad indentation", Blocker.None, revision) with { File = file };

    private static ReconcileResult HealthFailed(string revision, HealthState state) =>
        ReconcileResult.Failed(ReconcileReason.HealthCheckFailed, $"{Web}: {state}: why", Blocker.None, revision) with
        {
            AppliedRevision = revision,
            Health =
            [
                new ObjectHealth(new ObjectReference("v1", "Service", "media", "web"), new HealthStatus(HealthState.Healthy, "")),
                new ObjectHealth(new ObjectReference("v1", "ConfigMap", "media", "settings"), new HealthStatus(HealthState.Progressing, "slow")),
                new ObjectHealth(Web, new HealthStatus(state, "why")),
            ],
        };

    /// <summary>Feeds the outcomes in order from the start; the notifications in order.</summary>
    private static List<Notification> Run(params ReconcileResult[] outcomes)
    {
        var state = NotificationState.Initial;
        var sent = new List<Notification>();
        foreach (var outcome in outcomes)
        {
            (state, var notification) = TransitionDetector.Observe(state, outcome, At);
            if (notification is not null)
            {
                sent.Add(notification);
            }
        }

        return sent;
    }

    [Fact]
    public void The_same_success_every_interval_says_nothing_after_the_first_apply()
    {
        var sent = Run(Applied(First, Configured), ReconcileResult.Unchanged(First, Inventory), Applied(First, Unchanged), ReconcileResult.Unchanged(First, Inventory));

        var applied = Assert.Single(sent);
        Assert.Equal(NotificationKind.RevisionApplied, applied.Kind);
        Assert.Equal(First, applied.Revision);
        Assert.Equal(NotificationSeverity.Info, applied.Severity);
        Assert.Equal("ReconciliationSucceeded", applied.Reason);
    }

    [Fact]
    public void A_restart_on_the_revision_already_applied_says_nothing()
    {
        Assert.Empty(Run(Applied(First, Unchanged), ReconcileResult.Unchanged(First, Inventory)));
    }

    [Fact]
    public void A_new_revision_is_one_notification_even_when_it_changes_nothing_in_the_cluster()
    {
        var sent = Run(Applied(First, Unchanged), Applied(Second, Unchanged), Applied(Second, Unchanged));

        var applied = Assert.Single(sent);
        Assert.Equal((NotificationKind.RevisionApplied, Second), (applied.Kind, applied.Revision));
    }

    [Fact]
    public void A_broken_push_is_one_failure_naming_the_file_and_the_fix_one_recovery()
    {
        var sent = Run(
            Applied(First, Configured),
            BuildFailed(Second, "clusters/test/b.yaml"),
            BuildFailed(Second, "clusters/test/b.yaml"),
            BuildFailed(Second, "clusters/test/b.yaml"),
            Applied("3333333333333333333333333333333333333333", Configured),
            ReconcileResult.Unchanged("3333333333333333333333333333333333333333", Inventory));

        Assert.Equal([NotificationKind.RevisionApplied, NotificationKind.Failing, NotificationKind.Recovered], sent.Select(n => n.Kind));
        var failing = sent[1];
        Assert.Equal(("BuildFailed", "clusters/test/b.yaml", Second, (string?)null), (failing.Reason, failing.File, failing.Revision, failing.Target));
        Assert.Equal(NotificationSeverity.Failure, failing.Severity);
        Assert.Contains("clusters/test/b.yaml", failing.Title, StringComparison.Ordinal);
        var recovered = sent[2];
        Assert.Equal("3333333333333333333333333333333333333333", recovered.Revision);
        Assert.Equal(NotificationSeverity.Success, recovered.Severity);
        Assert.Contains("recovered from BuildFailed (clusters/test/b.yaml)", recovered.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Failing_for_another_reason_or_another_file_is_a_new_failure_the_same_is_not()
    {
        var gitDown = ReconcileResult.Failed(ReconcileReason.ArtifactFailed, "git unreachable", Blocker.Git);
        var sent = Run(
            BuildFailed(First, "clusters/test/a.yaml"),
            BuildFailed(First, "clusters/test/a.yaml"),
            BuildFailed(Second, "clusters/test/b.yaml"),
            gitDown,
            gitDown with { Message = "git unreachable: another wording" });

        Assert.Equal(["clusters/test/a.yaml", "clusters/test/b.yaml", null], sent.Select(n => n.File));
        Assert.Equal(["BuildFailed", "BuildFailed", "ArtifactFailed"], sent.Select(n => n.Reason));
        Assert.All(sent, n => Assert.Equal(NotificationKind.Failing, n.Kind));
        Assert.Null(sent[2].Revision);
    }

    [Fact]
    public void A_first_cycle_that_fails_is_a_failure()
    {
        var sent = Run(ReconcileResult.Failed(ReconcileReason.StateDirectoryLocked, "held by pid 7", Blocker.StateDirectory));

        Assert.Equal((NotificationKind.Failing, "StateDirectoryLocked"), (Assert.Single(sent).Kind, sent[0].Reason));
    }

    [Fact]
    public void A_workload_that_turns_Failed_names_it_and_its_recovery_too()
    {
        var sent = Run(Applied(First, Configured), HealthFailed(Second, HealthState.Failed), HealthFailed(Second, HealthState.Failed), Applied(Second, Unchanged));

        Assert.Equal([NotificationKind.RevisionApplied, NotificationKind.WorkloadFailed, NotificationKind.WorkloadRecovered], sent.Select(n => n.Kind));
        Assert.Equal(("Deployment/media/web", "HealthCheckFailed", (string?)null), (sent[1].Target, sent[1].Reason, sent[1].File));
        Assert.Equal("Deployment/media/web", sent[2].Target);
        Assert.Equal(NotificationSeverity.Success, sent[2].Severity);
    }

    [Fact]
    public void A_health_wait_that_times_out_without_a_Failed_workload_is_a_failure_naming_the_first_object_not_ready()
    {
        var sent = Run(Applied(First, Configured), HealthFailed(Second, HealthState.Progressing));

        var failing = sent[1];
        Assert.Equal((NotificationKind.Failing, "ConfigMap/media/settings"), (failing.Kind, failing.Target));
    }

    [Fact]
    public void Progressing_changes_nothing_either_way()
    {
        var progressing = ReconcileResult.Progressing(Second, "health not yet known", Configured, Inventory, 1);

        Assert.Empty(Run(Applied(First, Unchanged), progressing, progressing));
        Assert.Equal([NotificationKind.Failing], Run(BuildFailed(First, "a.yaml"), progressing, BuildFailed(First, "a.yaml")).Select(n => n.Kind));
    }

    [Fact]
    public void Observe_only_recovers_without_claiming_an_apply()
    {
        var planned = ReconcileResult.Planned(First, "observe-only", ChangeSet.Empty, Inventory);

        var sent = Run(planned, BuildFailed(Second, "a.yaml"), planned, planned);

        Assert.Equal([NotificationKind.Failing, NotificationKind.Recovered], sent.Select(n => n.Kind));
    }

    [Fact]
    public void A_fight_is_one_notification_until_it_has_been_quiet_for_longer_than_the_quiet_time()
    {
        var quiet = TimeSpan.FromMinutes(4);
        var fight = new FightReport("Deployment/media/web", "kubectl-edit", "Deployment/media/web keeps being changed by someone else (kubectl-edit)");
        var other = fight with { Target = "Service/media/web" };
        var state = NotificationState.Initial;
        var sent = new List<Notification?>();
        foreach (var (report, minutes) in new[] { (fight, 0), (fight, 1), (fight, 4), (other, 5), (fight, 8), (fight, 13) })
        {
            (state, var notification) = TransitionDetector.ObserveFight(state, report, At.AddMinutes(minutes), quiet);
            sent.Add(notification);
        }

        // Reported every interval while it lasts: the first report only; another object is another fight; 5 quiet minutes end it.
        Assert.Equal([true, false, false, true, false, true], sent.Select(n => n is not null));
        Assert.All(sent.OfType<Notification>(), n => Assert.Equal((NotificationKind.FightStarted, NotificationSeverity.Failure, "Fight"), (n.Kind, n.Severity, n.Reason)));
        Assert.Equal(["Deployment/media/web", "Service/media/web", "Deployment/media/web"], sent.OfType<Notification>().Select(n => n.Target));
    }

    [Fact]
    public void A_fight_names_the_revision_last_applied()
    {
        var (state, _) = TransitionDetector.Observe(NotificationState.Initial, Applied(First, Configured), At);

        var (_, fight) = TransitionDetector.ObserveFight(state, new FightReport("Deployment/media/web", "helm", "fought"), At, TimeSpan.FromMinutes(4));

        Assert.Equal(First, fight!.Revision);
    }
}
