using System.Diagnostics;
using System.Globalization;
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
        var (steady, peak, seconds) = await MeasureAsync(cluster, settings.Cycles, Path.Combine(work, "state-memory"), extraEnvironment: null);
        report.Add(new Measurement(scenario, "steady RSS (VmRSS)", steady, "MiB", Target: $"< {TargetMiB} MiB", Met: steady < TargetMiB,
            Note: $"{settings.Cycles} cycles took {seconds:0.0} s ({seconds / settings.Cycles * 1000:0} ms per cycle incl. the 0.2 s interval); the reconciler's own GC settings (workstation, non-concurrent, ConserveMemory=7)"));
        report.Add(new Measurement(scenario, "peak RSS (VmHWM)", peak, "MiB"));
    }

    private static async Task<(double SteadyMiB, double PeakMiB, double Seconds)> MeasureAsync(BenchCluster cluster, int cycles, string state, Dictionary<string, string>? extraEnvironment)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { BenchPaths.ReconcilerDll, "run", "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["Reconciler__Source"] = cluster.Repository.Bare;
        start.Environment["Reconciler__Ref"] = "main";
        start.Environment["Reconciler__Path"] = BenchRepository.ClusterPath;
        start.Environment["Reconciler__Kubeconfig"] = cluster.Server.Kubeconfig;
        start.Environment["Reconciler__StateDirectory"] = state;
        start.Environment["Reconciler__Interval"] = "00:00:00.2";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in extraEnvironment ?? [])
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("the reconciler did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            var status = new StatusPoller(http);
            await status.WaitForCycleAsync(DateTimeOffset.MinValue, null, TimeSpan.FromMinutes(5));
            var clock = Stopwatch.StartNew();
            var seen = new HashSet<DateTimeOffset>();
            var deadline = DateTime.UtcNow.AddMinutes(15);
            while (seen.Count < cycles)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"the reconciler exited with {process.ExitCode}");
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

            var seconds = clock.Elapsed.TotalSeconds;
            var (rss, hwm) = ReadStatus(process.Id);
            return (rss, hwm, seconds);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    /// <summary>VmRSS and VmHWM of a process, in MiB.</summary>
    private static (double Rss, double Hwm) ReadStatus(int pid)
    {
        double Field(string[] lines, string name) =>
            long.Parse(lines.First(l => l.StartsWith(name + ":", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;

        var lines = File.ReadAllLines($"/proc/{pid}/status");
        return (Field(lines, "VmRSS"), Field(lines, "VmHWM"));
    }
}
