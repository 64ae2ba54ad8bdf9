using System.Net;
using Homelab.Defaults;
using Homelab.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Homelab.Tests.Reconciler.Drift;

/// <summary>
/// Issue 17: a hand edit waited behind a health wait (45 s on a real node). Here a workload never becomes
/// healthy (an Executable whose health probe nobody answers) while the health wait is two minutes long;
/// hand edits of another object are undone within seconds, first during the first cycle's wait, then
/// during the wait of the cycle that repaired the first edit. On a real DCP, edits with kubectl.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class DriftDuringHealthWaitTests(DcpFixture dcp, ITestOutputHelper output)
{
    private const string Path = "clusters/test";
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_hand_edit_during_a_health_wait_is_undone_in_under_5_seconds_and_the_first_cycle_says_it_is_progressing()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository
            .Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a", 600))
            .Write($"{Path}/sick.yaml", Yaml.ProbedExecutable($"{prefix}-sick", "/bin/sleep", LoopbackPort.Unused()));
        var revision = repository.Commit("a and a workload that never becomes healthy");
        using var api = dcp.Server.Connect();
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, Long, "--Reconciler:HealthTimeout=00:02:00");

        // The first cycle applied and waits for health: ready (Git and the API server answered, set as the
        // health wait begins) though the wait goes on, and /status says it is applying, with the revision.
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(15), async () => await Live.GetExecutableAsync(api, $"{prefix}-a") is not null));
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(15), async () => await host.ProbeAsync(ProbePaths.Ready) == HttpStatusCode.OK));
        var status = await host.StatusAsync();
        Assert.Equal("Progressing", status["reason"]!.GetValue<string>());
        Assert.Equal($"main@sha1:{revision}", status["lastAttemptedRevision"]!.GetValue<string>());
        Assert.Contains($"applying main@sha1:{revision}", status["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(status["lastReconcileAt"]);

        string? waitCut = null;
        foreach (var args in new[] { "5", "7" })
        {
            await Live.MergePatchAsync(dcp.Server, $"{prefix}-a", $$$"""{"spec":{"args":["{{{args}}}"]}}""");

            var undone = await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(5), async () =>
                (await Live.GetExecutableAsync(api, $"{prefix}-a"))?["spec"]?["args"]?[0]?.GetValue<string>() == "600");
            Assert.True(undone is not null, $"the edit to args [{args}] was not undone within 5 s");
            output.WriteLine($"edit to args [{args}] undone after {undone.Value.TotalMilliseconds:0} ms");

            // The edit cut the running cycle's health wait short: that cycle's outcome is recorded, and the
            // repairing cycle, which applied, is itself in the two-minute wait for the sick workload now.
            var previous = waitCut;
            Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(15), async () =>
                (waitCut = (await host.StatusAsync())["lastReconcileAt"]?.ToJsonString()) is not null && waitCut != previous));
        }

        var after = await host.StatusAsync();
        Assert.Equal("Progressing", after["reason"]!.GetValue<string>());
        Assert.Contains("health not yet known", after["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await host.ProbeAsync(ProbePaths.Ready));
    }
}
