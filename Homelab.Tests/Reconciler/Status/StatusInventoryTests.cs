using System.Text.Json;
using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Status;

namespace Homelab.Tests.Reconciler.Status;

/// <summary>
/// Issue 18: a cycle that never read the inventory (the state directory held by another process, or one it
/// cannot use) said nothing about what is applied, yet /status showed 0 objects. It keeps the last count.
/// </summary>
public sealed class StatusInventoryTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;

    [Theory]
    [InlineData(ReconcileReason.StateDirectoryLocked)]
    [InlineData(ReconcileReason.StateDirectoryUnavailable)]
    public void A_cycle_that_could_not_read_the_inventory_leaves_the_last_count_on_status(ReconcileReason reason)
    {
        var status = new ReconcileStatus();
        var applied = new Dictionary<string, int> { ["Executable"] = 2 };
        status.Record(ReconcileResult.Succeeded("main@sha1:1", "applied", ChangeSet.Empty, applied, 2), At, At, observeOnly: false);

        status.Record(ReconcileResult.Failed(reason, "the state directory is held by another process", Blocker.StateDirectory), At, At, observeOnly: false);

        var json = JsonSerializer.SerializeToNode(status.Snapshot(), ApiJson.Default.StatusSnapshot)!;
        Assert.Equal(reason.ToString(), json["reason"]!.GetValue<string>());
        Assert.Equal(2, json["inventory"]!["Executable"]!.GetValue<int>());
    }

    [Fact]
    public void A_cycle_that_read_the_inventory_reports_its_count_even_when_it_is_smaller()
    {
        var status = new ReconcileStatus();
        status.Record(ReconcileResult.Succeeded("main@sha1:1", "applied", ChangeSet.Empty, new Dictionary<string, int> { ["Executable"] = 2 }, 2), At, At, observeOnly: false);

        status.Record(ReconcileResult.Failed(ReconcileReason.BuildFailed, "broken", Blocker.None, "main@sha1:2", inventory: new Dictionary<string, int>()), At, At, observeOnly: false);

        Assert.Empty(status.Snapshot().Inventory);
    }
}
