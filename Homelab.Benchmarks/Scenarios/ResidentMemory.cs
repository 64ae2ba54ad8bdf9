using System.Diagnostics;
using Homelab.Benchmarks.Infrastructure;
using Homelab.Benchmarks.Report;

namespace Homelab.Benchmarks.Scenarios;

/// <summary>
/// Resident memory of <c>run</c> as its own process, native (what the image ships) and JIT side by side:
/// idle (no source: the host alone), and over N objects after a number of full cycles each forced with
/// POST /reconcile, and the native build again under the pod's memory limit. VmRSS (steady) and VmHWM (peak) from /proc.
/// </summary>
internal static class ResidentMemory
{
    private const double TargetMiB = 64;
    private const double IdleTargetMiB = 40;

    public static async Task RunAsync(BenchCluster cluster, BenchmarkSettings settings, string work, BenchmarkReport report)
    {
        var idle = $"`run` resident memory, idle (no source)";
        foreach (var native in new[] { true, false })
        {
            var rss = await IdleAsync(cluster, Path.Combine(work, $"state-idle-{native}"), native);
            report.Add(new Measurement(idle, $"VmRSS, {Build(native)}", rss, "MiB",
                Target: native ? $"< {IdleTargetMiB} MiB" : null, Met: native ? rss < IdleTargetMiB : null));
        }

        var scenario = $"`run` resident memory, {cluster.Objects} objects, after {settings.Cycles} forced cycles";
        foreach (var native in new[] { true, false })
        {
            var (steady, peak, seconds) = await MeasureAsync(cluster, settings.Cycles, Path.Combine(work, $"state-memory-{native}"), native);
            report.Add(new Measurement(scenario, $"steady RSS (VmRSS), {Build(native)}", steady, "MiB",
                Target: native ? $"< {TargetMiB} MiB (goal < 50)" : null, Met: native ? steady < TargetMiB : null,
                Note: $"{settings.Cycles} full cycles took {seconds:0.0} s; workstation, non-concurrent GC, ConserveMemory=7"));
            report.Add(new Measurement(scenario, $"peak RSS (VmHWM), {Build(native)}", peak, "MiB"));
        }

        await InPodLimitAsync(cluster, settings, work, report, scenario);
    }

    /// <summary>
    /// The native build under the Deployment's memory limit, in a cgroup of its own as in a pod: the runtime sizes
    /// its heap to the limit, so the peak above (the workstation GC on a 24 GiB machine) is not what a pod sees.
    /// A cycle the kernel kills for memory is a miss.
    /// </summary>
    private static async Task InPodLimitAsync(BenchCluster cluster, BenchmarkSettings settings, string work, BenchmarkReport report, string scenario)
    {
        var limit = Homelab.Defaults.ReconcilerDefaults.PodMemoryLimitMiB;
        var build = $"native in a {limit} MiB memory cgroup (the pod's limit)";
        using var cgroup = MemoryCgroup.TryCreate(limit, out var reason);
        if (cgroup is null)
        {
            Console.Error.WriteLine($"bench: {scenario} / {build}: left out, {reason}");
            return;
        }

        var (steady, peak, seconds) = await MeasureAsync(cluster, settings.Cycles, Path.Combine(work, "state-memory-cgroup"), native: true, cgroup);
        var kills = cgroup.OomKills();
        report.Add(new Measurement(scenario, $"steady RSS (VmRSS), {build}", steady, "MiB",
            Target: $"< {TargetMiB} MiB", Met: steady < TargetMiB, Note: $"{settings.Cycles} full cycles took {seconds:0.0} s"));
        report.Add(new Measurement(scenario, $"peak RSS (VmHWM), {build}", peak, "MiB"));
        report.Add(new Measurement(scenario, $"peak charged to the cgroup (page cache included), {build}", cgroup.PeakMiB(), "MiB"));
        report.Add(new Measurement(scenario, $"processes killed for memory, {build}", kills, "", Target: "0", Met: kills == 0));
    }

    private static string Build(bool native) => native ? "native" : "JIT (dotnet Homelab.Reconciler.dll)";

    /// <summary>The host alone: started with no source, measured once it answers and has settled.</summary>
    private static async Task<double> IdleAsync(BenchCluster cluster, string state, bool native)
    {
        await using var reconciler = ReconcilerProcess.Start(string.Empty, cluster.Server.Kubeconfig, state, TimeSpan.FromHours(1), native);
        var status = new StatusPoller(reconciler.Http);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!await AnswersAsync(status))
        {
            if (reconciler.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("the idle reconciler never answered /status");
            }

            await Task.Delay(50);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        return reconciler.Read().RssMiB;
    }

    private static async Task<bool> AnswersAsync(StatusPoller status)
    {
        try
        {
            await status.ReadAsync();
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<(double SteadyMiB, double PeakMiB, double Seconds)> MeasureAsync(BenchCluster cluster, int cycles, string state, bool native, MemoryCgroup? cgroup = null)
    {
        await using var reconciler = ReconcilerProcess.Start(cluster.Repository.Bare, cluster.Server.Kubeconfig, state, TimeSpan.FromHours(1), native, cgroup);
        var status = new StatusPoller(reconciler.Http);
        await status.WaitForCycleAsync(DateTimeOffset.MinValue, null, TimeSpan.FromMinutes(5));
        var last = (await status.ReadAsync()).LastReconcileAt!.Value;
        var clock = Stopwatch.StartNew();
        for (var cycle = 1; cycle <= cycles; cycle++)
        {
            await reconciler.ForceCycleAsync();
            await status.WaitForCycleAsync(last, null, TimeSpan.FromMinutes(2));
            var current = await status.ReadAsync();
            if (!current.Ready)
            {
                throw new InvalidOperationException($"cycle {cycle} failed: {current.Message}");
            }

            last = current.LastReconcileAt!.Value;
        }

        var seconds = clock.Elapsed.TotalSeconds;
        // Steady: what stays once the last cycle's garbage had a moment to be collected.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var (rss, peak, _, _) = reconciler.Read();
        return (rss, peak, seconds);
    }
}
