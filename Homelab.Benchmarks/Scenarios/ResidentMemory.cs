using System.Diagnostics;
using Homelab.Benchmarks.Infrastructure;
using Homelab.Benchmarks.Report;

namespace Homelab.Benchmarks.Scenarios;

/// <summary>
/// Resident memory of <c>dotnet Homelab.Reconciler.dll run</c> as its own process over N objects with a
/// 0.2 s interval: VmHWM (peak) and VmRSS (steady) from /proc after the given number of cycles.
/// </summary>
internal static class ResidentMemory
{
    private const double TargetMiB = 80;

    public static async Task RunAsync(BenchCluster cluster, BenchmarkSettings settings, string work, BenchmarkReport report)
    {
        var scenario = $"`run` resident memory, {cluster.Objects}+ objects, {settings.Cycles} cycles at 0.2 s";
        var (steady, peak, seconds) = await MeasureAsync(cluster, settings.Cycles, Path.Combine(work, "state-memory"));
        report.Add(new Measurement(scenario, "steady RSS (VmRSS)", steady, "MiB", Target: $"< {TargetMiB} MiB", Met: steady < TargetMiB,
            Note: $"{settings.Cycles} cycles took {seconds:0.0} s ({seconds / settings.Cycles * 1000:0} ms per cycle incl. the 0.2 s interval); the reconciler's own GC settings (workstation, non-concurrent, ConserveMemory=7)"));
        report.Add(new Measurement(scenario, "peak RSS (VmHWM)", peak, "MiB"));
    }

    private static async Task<(double SteadyMiB, double PeakMiB, double Seconds)> MeasureAsync(BenchCluster cluster, int cycles, string state)
    {
        await using var reconciler = ReconcilerProcess.Start(cluster.Repository.Bare, cluster.Server.Kubeconfig, state, TimeSpan.FromSeconds(0.2));
        var status = new StatusPoller(reconciler.Http);
        await status.WaitForCycleAsync(DateTimeOffset.MinValue, null, TimeSpan.FromMinutes(5));
        var clock = Stopwatch.StartNew();
        var seen = new HashSet<DateTimeOffset>();
        var deadline = DateTime.UtcNow.AddMinutes(15);
        while (seen.Count < cycles)
        {
            if (reconciler.HasExited)
            {
                throw new InvalidOperationException($"the reconciler exited with {reconciler.ExitCode}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"only {seen.Count} of {cycles} cycles in 15 min");
            }

            var current = await status.ReadAsync();
            if (!current.Ready)
            {
                throw new InvalidOperationException($"a cycle failed: {current.Message}");
            }

            if (current.LastReconcileAt is { } at)
            {
                seen.Add(at);
            }

            await Task.Delay(50);
        }

        var (rss, peak, _, _) = reconciler.Read();
        return (rss, peak, clock.Elapsed.TotalSeconds);
    }
}
