using System.Text.Json;
using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Health;
using Homelab.Reconciler.Kubernetes;
using Homelab.Reconciler.Reconcile;
using Homelab.Reconciler.Status;

namespace Homelab.Tests.Reconciler.Status;

/// <summary>
/// Issue 21: /status and the status page keep the last cycles (bounded) and every inventory object with its health,
/// as the last health wait judged it.
/// </summary>
public sealed class StatusHistoryTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 21, 0, 0, TimeSpan.Zero);
    private static readonly ObjectReference A = new("usvc-dev.developer.microsoft.com/v1", "Executable", null, "a");
    private static readonly ObjectReference B = new("usvc-dev.developer.microsoft.com/v1", "Executable", null, "b");
    private static readonly ObjectReference C = new("apps/v1", "Deployment", "media", "c");
    private static readonly Dictionary<string, int> Counts = new() { ["Executable"] = 2 };

    [Fact]
    public void The_last_20_cycles_are_kept_newest_first_with_their_start_and_duration()
    {
        var status = new ReconcileStatus();
        for (var i = 1; i <= 25; i++)
        {
            var result = ReconcileResult.Succeeded($"main@sha1:{i}", $"applied {i}", ChangeSet.Empty, Counts, 2) with { Duration = TimeSpan.FromSeconds(i) };
            status.Record(result, At.AddMinutes(i), At.AddMinutes(i + 1), observeOnly: false);
        }

        var cycles = status.Snapshot().Cycles;

        Assert.Equal(ReconcileStatus.CycleHistory, cycles.Count);
        Assert.Equal(Enumerable.Range(6, 20).Reverse().Select(i => $"main@sha1:{i}"), cycles.Select(c => c.Revision));
        Assert.Equal(At.AddMinutes(25) - TimeSpan.FromSeconds(25), cycles[0].StartedAt);
        Assert.Equal(TimeSpan.FromSeconds(25), cycles[0].Duration);
        Assert.Equal("Ready", cycles[0].State);
    }

    [Fact]
    public void A_failed_cycle_before_the_fetch_has_no_revision_and_names_its_reason()
    {
        var status = new ReconcileStatus();

        status.Record(ReconcileResult.Failed(ReconcileReason.ArtifactFailed, "Git unreachable", Blocker.Git), At, At, observeOnly: false);

        var json = JsonSerializer.SerializeToNode(status.Snapshot(), ApiJson.Default.StatusSnapshot)!;
        var cycle = json["cycles"]![0]!;
        Assert.Null(cycle["revision"]);
        Assert.Equal("ArtifactFailed", cycle["reason"]!.GetValue<string>());
        Assert.Equal("Failed", cycle["state"]!.GetValue<string>());
        Assert.Equal("Failed", json["state"]!.GetValue<string>());
    }

    [Fact]
    public void Health_comes_from_the_health_wait_stays_through_cycles_that_do_not_wait_and_is_unknown_until_judged()
    {
        var status = new ReconcileStatus();
        var judged = ReconcileResult.Succeeded("main@sha1:1", "applied", ChangeSet.Empty, Counts, 2) with
        {
            Objects = [A, B],
            Health = [new ObjectHealth(A, HealthStatus.Healthy), new ObjectHealth(B, new HealthStatus(HealthState.Degraded, "web: ImagePullBackOff"))],
        };
        status.Record(judged, At, At, observeOnly: false);
        Assert.Equal(["a=Healthy", "b=Degraded web: ImagePullBackOff"], Objects(status));

        // An unchanged revision waits for nothing: the last judgement stands, with its time.
        status.Record(ReconcileResult.Unchanged("main@sha1:1", Counts) with { Objects = [A, B] }, At.AddMinutes(1), At, observeOnly: false);
        Assert.Equal(["a=Healthy", "b=Degraded web: ImagePullBackOff"], Objects(status));
        Assert.All(status.Snapshot().Objects, o => Assert.Equal(At, o.CheckedAt));

        // A new object that no health wait has judged yet (the server refused part of the next revision).
        status.Record(ReconcileResult.Failed(ReconcileReason.ReconciliationFailed, "refused", Blocker.None, "main@sha1:2") with { Objects = [A, B, C] }, At.AddMinutes(2), At, observeOnly: false);
        Assert.Equal(["a=Healthy", "b=Degraded web: ImagePullBackOff", "c=Unknown no health wait has judged it yet"], Objects(status));

        // A cycle that never read the inventory leaves the objects as they were.
        status.Record(ReconcileResult.Failed(ReconcileReason.StateDirectoryLocked, "held", Blocker.StateDirectory), At.AddMinutes(3), At, observeOnly: false);
        Assert.Equal(["a=Healthy", "b=Degraded web: ImagePullBackOff", "c=Unknown no health wait has judged it yet"], Objects(status));

        // The next health wait judges them all again.
        status.Record(judged with { Objects = [A, C], Health = [new ObjectHealth(A, HealthStatus.Healthy), new ObjectHealth(C, new HealthStatus(HealthState.Missing, "deleted while waiting for it"))] }, At.AddMinutes(4), At, observeOnly: false);
        Assert.Equal(["a=Healthy", "c=Missing deleted while waiting for it"], Objects(status));
        var c = status.Snapshot().Objects[1];
        Assert.Equal(("apps/v1", "Deployment", "media", At.AddMinutes(4)), (c.ApiVersion, c.Kind, c.Namespace, c.CheckedAt));
    }

    [Fact]
    public void Status_with_source_cycles_and_objects_reads_back_as_bootstrap_reads_a_pods_answer()
    {
        var status = new ReconcileStatus();
        status.SetSource(new TrackedSource("https://github.com/org/homelab.git", "main", "clusters/my-laptop"));
        status.Record(ReconcileResult.Succeeded("main@sha1:1", "applied", ChangeSet.Empty, Counts, 2) with { Objects = [A], Health = [new ObjectHealth(A, HealthStatus.Healthy)] }, At, At, observeOnly: false);

        var json = JsonSerializer.Serialize(status.Snapshot(), ApiJson.Default.StatusSnapshot);
        var read = JsonSerializer.Deserialize(json, ApiJson.Default.StatusSnapshot)!;

        Assert.Equal(status.Snapshot().Source, read.Source);
        Assert.Equal(status.Snapshot().Cycles, read.Cycles);
        Assert.Equal(status.Snapshot().Objects, read.Objects);
        Assert.Equal("Ready", read.State);
    }

    private static List<string> Objects(ReconcileStatus status) =>
        status.Snapshot().Objects.Select(o => $"{o.Name}={o.Health}{(o.Message is null ? string.Empty : " " + o.Message)}").ToList();
}
