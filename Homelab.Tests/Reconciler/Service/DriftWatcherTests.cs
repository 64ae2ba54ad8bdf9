using System.Text.Json.Nodes;
using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Service;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Homelab.Tests.Reconciler.Service;

/// <summary>
/// How the drift watcher judges watch events (the live watch itself is exercised against DCP in
/// <see cref="ReconcilerServiceTests"/>); events here are built by hand, named as such.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class DriftWatcherTests(DcpFixture dcp)
{
    [Fact]
    public async Task Own_writes_are_ignored_changes_and_deletions_trigger_and_a_fight_is_reported_instead_of_thrashing_with_hand_built_events()
    {
        using var api = dcp.Server.Connect();
        var desired = new DesiredState();
        var manifest = Manifests.Executable("fought-over", 600);
        desired.Record([manifest]);
        var trigger = new ReconcileTrigger();
        var status = new ReconcileStatus();
        var watcher = new DriftWatcher(api, desired, trigger, status, NullLogger<DriftWatcher>.Instance);
        var ours = Ownership.Mark(manifest);
        ours["status"] = new JsonObject { ["state"] = "Running" };

        // Our own write (every desired field live, plus server fields): nothing to do.
        watcher.Inspect("MODIFIED", ours);
        Assert.Null(await trigger.WaitAsync(TimeSpan.FromMilliseconds(50), TimeProvider.System, default));

        // A hand edit and a deletion: a cycle is requested for each.
        var edited = (JsonObject)ours.DeepClone();
        edited["spec"]!["args"] = new JsonArray("5");
        edited["metadata"]!["managedFields"] = new JsonArray(new JsonObject { ["manager"] = "kubectl-edit" });
        watcher.Inspect("MODIFIED", edited);
        Assert.NotNull(await trigger.WaitAsync(TimeSpan.FromSeconds(1), TimeProvider.System, default));
        watcher.Inspect("DELETED", ours);
        Assert.NotNull(await trigger.WaitAsync(TimeSpan.FromSeconds(1), TimeProvider.System, default));

        // Someone keeps fighting: after the limit, no more repairs, and status names the other manager.
        for (var i = 2; i < DriftWatcher.FightLimit; i++)
        {
            watcher.Inspect("MODIFIED", edited);
            Assert.NotNull(await trigger.WaitAsync(TimeSpan.FromSeconds(1), TimeProvider.System, default));
        }

        watcher.Inspect("MODIFIED", edited);
        Assert.Null(await trigger.WaitAsync(TimeSpan.FromMilliseconds(100), TimeProvider.System, default));
        Assert.Contains("kubectl-edit", status.Snapshot().Fight, StringComparison.Ordinal);

        // A scheduled cycle forgives.
        watcher.ResetFights();
        watcher.Inspect("MODIFIED", edited);
        Assert.NotNull(await trigger.WaitAsync(TimeSpan.FromSeconds(1), TimeProvider.System, default));
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
