using System.Globalization;
using Homelab.Benchmarks.Infrastructure;
using Homelab.Tests.Infrastructure;

namespace Homelab.Benchmarks.Scenarios;

/// <summary>
/// The soak: N full reconcile cycles (each forced with POST /reconcile, so none is skipped) of the native `run`
/// process over 200 objects on DCP --server-only. After a warm-up of a tenth of the cycles, memory, open files
/// and threads are read after every cycle. A leak grows them all the way, so the median of the last tenth of the
/// cycles is compared with the median of the first tenth: resident memory must grow less than 10%, open files
/// and threads not at all (a few of slack for the runtime). Single readings would not do: measured, they rise by
/// a few MiB over a few cycles and fall back, again and again, and a few MiB is 10% of a small process.
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
        var samples = new List<(double RssMiB, double PeakMiB, int Threads, int Files)>(cycles);
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
            if (cycle > warmUp)
            {
                samples.Add(reconciler.Read());
            }
        }

        var window = Math.Max(5, cycles / 10);
        var first = samples.Take(window).ToArray();
        var end = samples.TakeLast(window).ToArray();
        double Median(IEnumerable<double> values) => Percentiles.Of(values.ToArray(), 50);
        var (rssBefore, rssAfter) = (Median(first.Select(s => s.RssMiB)), Median(end.Select(s => s.RssMiB)));
        var (filesBefore, filesAfter) = ((int)Median(first.Select(s => (double)s.Files)), (int)Median(end.Select(s => (double)s.Files)));
        var (threadsBefore, threadsAfter) = ((int)Median(first.Select(s => (double)s.Threads)), (int)Median(end.Select(s => (double)s.Threads)));
        var growth = (rssAfter - rssBefore) / rssBefore;
        var (memoryOk, filesOk, threadsOk) = (growth < MaxGrowth, filesAfter <= filesBefore + Slack, threadsAfter <= threadsBefore + Slack);
        string Result(bool ok) => ok ? "PASS" : "FAIL";
        // The whole series on stderr: what to read when the soak fails.
        Console.Error.WriteLine("soak: VmRSS MiB after each cycle: " + string.Join(' ', samples.Select(s => s.RssMiB.ToString("0.0", CultureInfo.InvariantCulture))));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            | soak: {cycles} full cycles over {Objects} objects (after {warmUp} warm-up); medians of {window} cycles | first cycles | last cycles | limit | result |
            |---|---:|---:|---|---|
            | resident memory (VmRSS) | {rssBefore:0.0} MiB | {rssAfter:0.0} MiB ({growth:+0.0%;-0.0%}) | < +10% | {Result(memoryOk)} |
            | open file descriptors | {filesBefore} | {filesAfter} | <= +{Slack} | {Result(filesOk)} |
            | threads | {threadsBefore} | {threadsAfter} | <= +{Slack} | {Result(threadsOk)} |
            | resident memory, lowest and highest reading | {samples.Min(s => s.RssMiB):0.0} MiB | {samples.Max(s => s.RssMiB):0.0} MiB | | |
            | peak memory (VmHWM) | | {samples[^1].PeakMiB:0.0} MiB | | |
            """));
        return memoryOk && filesOk && threadsOk ? 0 : 1;
    }
}
