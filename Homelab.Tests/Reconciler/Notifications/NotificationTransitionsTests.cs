using System.Diagnostics;
using System.Text.Json.Nodes;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace Homelab.Tests.Reconciler.Notifications;

/// <summary>
/// Issue 21's "done when", end to end: the service (`run`) against DCP and a real Git repository, notifying a real HTTP
/// receiver on loopback. Transitions only: a broken push is one failure naming the file, further failing cycles send nothing,
/// the fix is one recovery; a receiver that is down never slows a cycle.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class NotificationTransitionsTests(DcpFixture dcp)
{
    private const string Path = "clusters/test";
    private const string BrokenFile = $"{Path}/b.yaml";
    private const string Broken = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: broken\n";
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    private static string[] Notify(Uri url, string kind = "webhook") => [$"--Reconciler:Notify:Url={url}", $"--Reconciler:Notify:Kind={kind}"];

    private static List<string> Kinds(LoopbackReceiver receiver) => [.. receiver.Bodies.Select(b => b["kind"]!.GetValue<string>())];

    [Fact]
    public async Task A_broken_push_sends_one_failure_naming_the_file_further_failing_cycles_nothing_and_the_fix_one_recovery()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        var good = repository.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("good");
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, TimeSpan.FromSeconds(1), Notify(receiver.At("/hooks/homelab")));
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(20), () => Task.FromResult(receiver.Requests.Count == 1)));
        Assert.Equal(["revision-applied"], Kinds(receiver));
        Assert.Equal($"main@sha1:{good}", receiver.Bodies[0]["revision"]!.GetValue<string>());

        var broken = repository.Write(BrokenFile, Broken).Commit("broken");
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(20), async () => (await host.StatusAsync())["reason"]!.GetValue<string>() == "BuildFailed"));
        await CyclesAsync(host, 4);

        Assert.Equal(["revision-applied", "failing"], Kinds(receiver));
        var failing = receiver.Bodies[1];
        Assert.Equal(("BuildFailed", BrokenFile, broken), (failing["reason"]!.GetValue<string>(), failing["file"]!.GetValue<string>(), failing["revision"]!.GetValue<string>()[^40..]));
        Assert.Contains(BrokenFile, failing["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var fixedRevision = repository.Delete(BrokenFile).Commit("fixed");
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(20), async () => (await host.StatusAsync())["ready"]!.GetValue<bool>()));
        await CyclesAsync(host, 3);

        Assert.Equal(["revision-applied", "failing", "recovered"], Kinds(receiver));
        Assert.Equal(("success", $"main@sha1:{fixedRevision}"), (receiver.Bodies[2]["severity"]!.GetValue<string>(), receiver.Bodies[2]["revision"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_workload_that_turns_Failed_is_one_notification_naming_it_and_its_removal_one_recovery()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("good");
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, TimeSpan.FromSeconds(1), Notify(receiver.At("/hooks/homelab")));
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(20), () => Task.FromResult(receiver.Requests.Count == 1)));

        // DCP cannot start it: FailedToStart is Failed, not a slow rollout.
        repository.Write($"{Path}/h.yaml", Yaml.ProbedExecutable($"{prefix}-h", "/nonexistent/server", LoopbackPort.Unused())).Commit("a workload that cannot start");
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(30), async () => (await host.StatusAsync())["reason"]!.GetValue<string>() == "HealthCheckFailed"));
        await CyclesAsync(host, 3);

        Assert.Equal(["revision-applied", "workload-failed"], Kinds(receiver));
        Assert.Equal(($"Executable/{prefix}-h", "HealthCheckFailed"), (receiver.Bodies[1]["object"]!.GetValue<string>(), receiver.Bodies[1]["reason"]!.GetValue<string>()));

        repository.Delete($"{Path}/h.yaml").Commit("removed");
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(30), async () => (await host.StatusAsync())["ready"]!.GetValue<bool>()));
        await CyclesAsync(host, 2);

        Assert.Equal(["revision-applied", "workload-failed", "workload-recovered"], Kinds(receiver));
        Assert.Equal($"Executable/{prefix}-h", receiver.Bodies[2]["object"]!.GetValue<string>());
    }

    public enum DeadReceiver
    {
        /// <summary>Nobody listens: connections are refused.</summary>
        ClosedPort,

        /// <summary>Connections are accepted by the kernel and never answered.</summary>
        NeverAnswers,
    }

    [Theory]
    [InlineData(DeadReceiver.ClosedPort)]
    [InlineData(DeadReceiver.NeverAnswers)]
    public async Task A_receiver_that_is_down_does_not_delay_a_cycle_by_more_than_a_second(DeadReceiver dead)
    {
        using var silent = LoopbackPort.Silent();
        var port = dead == DeadReceiver.ClosedPort ? LoopbackPort.Unused() : LoopbackPort.Of(silent);

        var without = await ForcedCyclesAsync(notify: []);
        using var capture = new CapturingLoggerProvider();
        var with = await ForcedCyclesAsync(Notify(new Uri($"http://127.0.0.1:{port}/topic"), "ntfy"), capture);

        // Every forced cycle was a transition, sent to the dead receiver while the next cycles ran.
        Assert.Contains(capture.Lines, l => l.Contains("Notification failing: ", StringComparison.Ordinal));
        Assert.Contains(capture.Lines, l => l.Contains("Notification recovered: ", StringComparison.Ordinal));
        // Refused at once, retried; or connected and waiting for an answer that never comes (within the 5 s attempt).
        Assert.True(dead == DeadReceiver.ClosedPort ? capture.Lines.Any(l => l.Contains("attempt 1 failed", StringComparison.Ordinal)) : silent.Pending());
        var slowest = without.Max(c => c.Latency);
        var longest = without.Max(c => c.Duration);
        Assert.All(with, c => Assert.True(c.Latency <= slowest + TimeSpan.FromSeconds(1), $"a cycle took {c.Latency} from request to status with a dead receiver, {slowest} at most without notifications"));
        Assert.All(with, c => Assert.True(c.Duration <= longest + TimeSpan.FromSeconds(1), $"a cycle lasted {c.Duration} with a dead receiver, {longest} at most without notifications"));
    }

    /// <summary>
    /// A service on a new repository, then four cycles asked for by <c>/reconcile</c>, each after a push that breaks or fixes
    /// the revision: how long from the request until /status showed the outcome, and the cycle's own duration.
    /// </summary>
    private async Task<List<(TimeSpan Latency, TimeSpan Duration)>> ForcedCyclesAsync(string[] notify, CapturingLoggerProvider? capture = null)
    {
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{Manifests.Prefix()}-a")).Commit("good");
        await using var host = await ReconcilerHost.StartAsync(
            repository.Root,
            Path,
            dcp.Server.Kubeconfig,
            Long,
            capture is null ? null : b => b.Logging.AddProvider(capture),
            [.. notify, "--Logging:LogLevel:Homelab.Reconciler.Notifications=Debug"]);
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(20), async () => (await host.StatusAsync())["ready"]!.GetValue<bool>()));

        var cycles = new List<(TimeSpan, TimeSpan)>();
        for (var i = 0; i < 4; i++)
        {
            var breaks = i % 2 == 0;
            (breaks ? repository.Write(BrokenFile, Broken) : repository.Delete(BrokenFile)).Commit(breaks ? "broken" : "fixed");
            var before = (await host.StatusAsync())["lastReconcileAt"]!.GetValue<string>();
            var clock = Stopwatch.StartNew();
            using (await host.PostAsync("/reconcile"))
            {
            }

            Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(30), async () =>
            {
                var status = await host.StatusAsync();
                return status["lastReconcileAt"]!.GetValue<string>() != before && status["reason"]!.GetValue<string>() == (breaks ? "BuildFailed" : "ReconciliationSucceeded");
            }));
            var latency = clock.Elapsed;
            cycles.Add((latency, TimeSpan.Parse((await host.StatusAsync())["lastDuration"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return cycles;
    }

    /// <summary>Waits until <paramref name="count"/> more cycles have ended.</summary>
    private static async Task CyclesAsync(ReconcilerHost host, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var before = (await host.StatusAsync())["lastReconcileAt"]!.GetValue<string>();
            Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(20), async () => (await host.StatusAsync())["lastReconcileAt"]!.GetValue<string>() != before));
        }
    }
}
