using System.Text.Json.Nodes;
using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Drift;
using Homelab.Reconciler.Status;
using Homelab.Reconciler.Triggers;
using Homelab.Tests.Infrastructure;
using Homelab.Reconciler.Kubernetes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Homelab.Tests.Reconciler.Drift;

/// <summary>
/// How the drift watcher judges watch events (the live watch itself is exercised against DCP in
/// <see cref="Host.ReconcilerServiceTests"/>). The events carry a real kube-apiserver's objects
/// (<see cref="RealApiServer"/>), and copies of them edited by hand, named as such.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class DriftWatcherTests(DcpFixture dcp)
{
    private const string Navidrome = "Deployment/homelab/navidrome";

    [Fact]
    public async Task A_real_servers_answer_to_our_reapply_is_not_drift_a_hand_edit_and_a_deletion_are_and_a_fight_is_reported()
    {
        using var api = dcp.Server.Connect();
        var stored = RealApiServer.Objects("after-apply")[Navidrome];
        var desired = Recorded(stored);
        var trigger = new ReconcileTrigger();
        var status = new ReconcileStatus();
        var watcher = new DriftWatcher(api, desired, trigger, status, NullLogger<DriftWatcher>.Instance);

        // The server's event for our identical re-apply (new resourceVersion, new managedFields time): nothing to do.
        watcher.Inspect("MODIFIED", RealApiServer.Objects("after-reapply")[Navidrome]);
        Assert.Null(await trigger.WaitAsync(TimeSpan.FromMilliseconds(50), TimeProvider.System, default));

        // A hand edit (kubectl scale) and a deletion: a cycle is requested for each.
        var scaled = EditedByHand(stored, replicas: 3);
        watcher.Inspect("MODIFIED", scaled);
        Assert.NotNull(await trigger.WaitAsync(TimeSpan.FromSeconds(1), TimeProvider.System, default));
        watcher.Inspect("DELETED", stored);
        Assert.NotNull(await trigger.WaitAsync(TimeSpan.FromSeconds(1), TimeProvider.System, default));

        // Someone keeps fighting: after the limit, no more repairs, and status names the other manager.
        for (var i = 2; i < DriftWatcher.FightLimit; i++)
        {
            watcher.Inspect("MODIFIED", scaled);
            Assert.NotNull(await trigger.WaitAsync(TimeSpan.FromSeconds(1), TimeProvider.System, default));
        }

        watcher.Inspect("MODIFIED", scaled);
        Assert.Null(await trigger.WaitAsync(TimeSpan.FromMilliseconds(100), TimeProvider.System, default));
        Assert.Contains("kubectl-scale", status.Snapshot().Fight, StringComparison.Ordinal);

        // A scheduled cycle forgives.
        watcher.ResetFights();
        watcher.Inspect("MODIFIED", scaled);
        Assert.NotNull(await trigger.WaitAsync(TimeSpan.FromSeconds(1), TimeProvider.System, default));
    }

    [Fact]
    public async Task Events_during_a_cycle_are_judged_against_what_the_cycle_wrote()
    {
        using var api = dcp.Server.Connect();
        var stored = RealApiServer.Objects("after-apply")[Navidrome];
        var desired = Recorded(stored);
        var trigger = new ReconcileTrigger();
        var watcher = new DriftWatcher(api, desired, trigger, new ReconcileStatus(), NullLogger<DriftWatcher>.Instance);
        var runWatcher = new CancellationTokenSource();
        var watching = watcher.RunAsync(runWatcher.Token);

        // Our own write of a new revision (image changed in Git), seen before the cycle recorded it: not drift.
        var ours = EditedByHand(stored, image: "docker.io/deluan/navidrome:0.59.0", manager: "homelab-reconciler");
        desired.BeginCycle();
        watcher.Inspect("MODIFIED", ours);
        desired.EndCycle(new ChangeSet([new Change(ObjectReference.Of(ours), ChangeAction.Configured, null, OwnedFields.Fingerprint(ours))]));
        Assert.Null(await trigger.WaitAsync(TimeSpan.FromMilliseconds(100), TimeProvider.System, default));

        // A hand edit that lands while a cycle runs is still drift once the cycle ends.
        desired.BeginCycle();
        watcher.Inspect("MODIFIED", EditedByHand(ours, replicas: 0));
        Assert.Null(await trigger.WaitAsync(TimeSpan.FromMilliseconds(50), TimeProvider.System, default));
        desired.EndCycle(null);
        Assert.NotNull(await trigger.WaitAsync(TimeSpan.FromSeconds(1), TimeProvider.System, default));

        await runWatcher.CancelAsync();
        await watching.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [Fact]
    public async Task A_server_that_refuses_the_watch_is_logged_and_retried_with_back_off_and_the_watch_never_ends_quietly()
    {
        // Issue 17: any error in the watch, finding the kinds included, used to end it for good, silently.
        var refused = Kubeconfig.Load(dcp.Server.Kubeconfig) with { Credentials = ClusterCredentials.Token("not-the-token") };
        using var api = new KubeApi(refused);
        var desired = Recorded(RealApiServer.Objects("after-apply")[Navidrome]);
        using var capture = new CapturingLoggerProvider();
        using var loggers = new LoggerFactory([capture], new LoggerFilterOptions { MinLevel = LogLevel.Trace });
        var watcher = new DriftWatcher(api, desired, new ReconcileTrigger(), new ReconcileStatus(), loggers.CreateLogger<DriftWatcher>());
        using var stop = new CancellationTokenSource();
        var watching = watcher.RunAsync(stop.Token);

        var retried = await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(10), () => Task.FromResult(capture.Lines.Count(l => l.Contains("HTTP 403", StringComparison.Ordinal)) >= 3));
        Assert.True(retried is not null, capture.AllText);
        Assert.StartsWith("Warning", capture.Lines.First(l => l.Contains("HTTP 403", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.False(watching.IsCompleted, $"the watch ended: {watching.Exception?.GetBaseException().Message}");
        Assert.Equal(TimeSpan.FromSeconds(30), DriftWatcher.Backoff(20));

        await stop.CancelAsync();
        await watching.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private static DesiredState Recorded(JsonObject stored)
    {
        var desired = new DesiredState();
        desired.EndCycle(new ChangeSet([new Change(ObjectReference.Of(stored), ChangeAction.Created, null, OwnedFields.Fingerprint(stored))]));
        return desired;
    }

    /// <summary>A copy of a real object as the server would store a change by <paramref name="manager"/>.</summary>
    private static JsonObject EditedByHand(JsonObject stored, int? replicas = null, string? image = null, string manager = "kubectl-scale")
    {
        var copy = (JsonObject)stored.DeepClone();
        if (replicas is { } count)
        {
            copy["spec"]!["replicas"] = count;
        }

        if (image is not null)
        {
            copy["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = image;
        }

        copy["metadata"]!["managedFields"]!.AsArray().Add(new JsonObject { ["manager"] = manager, ["operation"] = "Update" });
        return copy;
    }

    [Fact]
    public async Task Requests_during_a_pending_cycle_coalesce_into_one()
    {
        var trigger = new ReconcileTrigger();

        Assert.True(trigger.Request("webhook"));
        Assert.False(trigger.Request("drift"));
        Assert.False(trigger.Request("reconcile now"));

        Assert.Equal("webhook", await trigger.WaitAsync(TimeSpan.FromSeconds(1), TimeProvider.System, default));
        Assert.Null(await trigger.WaitAsync(TimeSpan.FromMilliseconds(50), TimeProvider.System, default));
    }
}
