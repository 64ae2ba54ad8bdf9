using System.Globalization;
using Homelab.Benchmarks.Infrastructure;
using Homelab.Tests.Infrastructure;

namespace Homelab.Benchmarks.Scenarios;

/// <summary>
/// The soak: N full reconcile cycles (each forced with POST /reconcile, so none is skipped) of the native `run`
/// process over 200 objects on DCP --server-only. After a warm-up of a tenth of the cycles, resident memory
/// must grow less than 10%, and open files and threads must not grow (a few of slack for the runtime).
/// </summary>
internal static class Soak
{
    public const int Objects = 200;
    private const double MaxGrowth = 0.10;
    private const int Slack = 4;

    public static async Task<int> RunAsync(int cycles, string work)
    {
        var repository = await BenchRepository.CreateAsync(Path.Combine(work, "soak"), "soak-", Objects);
        await using var server = await DcpApiServer.StartAsync(BenchPaths.Dcp, serverOnly: true);
        await using var reconciler = ReconcilerProcess.Start(repository.Bare, server.Kubeconfig, Path.Combine(work, "state-soak"), TimeSpan.FromHours(1));
        var status = new StatusPoller(reconciler.Http);
        await status.WaitForCycleAsync(DateTimeOffset.MinValue, null, TimeSpan.FromMinutes(5));

        var warmUp = Math.Max(10, cycles / 10);
        (double RssMiB, double PeakMiB, int Threads, int Files) baseline = default;
        var last = DateTimeOffset.MinValue;
        for (var cycle = 1; cycle <= warmUp + cycles; cycle++)
        {
            await reconciler.ForceCycleAsync();
            await status.WaitForCycleAsync(last, null, TimeSpan.FromMinutes(1));
            var current = await status.ReadAsync();
            if (!current.Ready)
            {
                throw new InvalidOperationException($"cycle {cycle} failed: {current.Message}");
            }

            last = current.LastReconcileAt!.Value;
            if (cycle == warmUp)
            {
                baseline = reconciler.Read();
            }
        }

        var end = reconciler.Read();
        var growth = (end.RssMiB - baseline.RssMiB) / baseline.RssMiB;
        var ok = growth < MaxGrowth && end.Files <= baseline.Files + Slack && end.Threads <= baseline.Threads + Slack;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            | soak: {cycles} full cycles over {Objects} objects (after {warmUp} warm-up) | after warm-up | at the end | limit | result |
            |---|---:|---:|---|---|
            | resident memory (VmRSS) | {baseline.RssMiB:0.0} MiB | {end.RssMiB:0.0} MiB ({growth:+0.0%;-0.0%}) | < +10% | {(growth < MaxGrowth ? "PASS" : "FAIL")} |
            | open file descriptors | {baseline.Files} | {end.Files} | <= +{Slack} | {(end.Files <= baseline.Files + Slack ? "PASS" : "FAIL")} |
            | threads | {baseline.Threads} | {end.Threads} | <= +{Slack} | {(end.Threads <= baseline.Threads + Slack ? "PASS" : "FAIL")} |
            | peak memory (VmHWM) | | {end.PeakMiB:0.0} MiB | | |
            """));
        return ok ? 0 : 1;
    }
}
