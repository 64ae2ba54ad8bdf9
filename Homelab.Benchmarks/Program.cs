using System.Text.Json;
using Homelab.Benchmarks;
using Homelab.Benchmarks.Infrastructure;
using Homelab.Benchmarks.Report;
using Homelab.Benchmarks.Scenarios;

// The reconciler against kubectl on a real (inert) API server, DCP: fresh apply, no-op, idle poll,
// webhook and drift latency, resident memory. Markdown on stdout, JSON in artifacts/benchmark.json.
// `--soak N`: only the soak (N full cycles; leaks fail the run).
if (args.SkipWhile(a => a != "--soak").Skip(1).FirstOrDefault() is { } soakCycles)
{
    var soakWork = Directory.CreateTempSubdirectory("homelab-soak-").FullName;
    try
    {
        return await Soak.RunAsync(int.Parse(soakCycles, System.Globalization.CultureInfo.InvariantCulture), soakWork);
    }
    finally
    {
        Directory.Delete(soakWork, recursive: true);
    }
}

var settings = args.Contains("--quick") ? BenchmarkSettings.Quick : BenchmarkSettings.Full;
var output = args.SkipWhile(a => a != "--output").Skip(1).FirstOrDefault() ?? Path.Combine("artifacts", "benchmark.json");

using var kubectlVersion = JsonDocument.Parse(await ExternalCommand.RunAsync("kubectl", ["version", "--client", "-o", "json"]));
var machine = MachineInfo.Capture(kubectlVersion.RootElement.GetProperty("clientVersion").GetProperty("gitVersion").GetString() ?? "?");
var report = new BenchmarkReport(machine, settings.IsQuick);
var work = Directory.CreateTempSubdirectory("homelab-bench-").FullName;
BenchCluster? cluster = null;
try
{
    try
    {
        cluster = await FreshApply.RunAsync(settings, work, report);
    }
    catch (Exception ex)
    {
        report.Error("fresh apply", ex);
    }

    if (cluster is not null)
    {
        // Each scenario reports its own failure and the next still runs; the cluster is shared, in this order.
        (string Name, Func<Task> Run)[] scenarios =
        [
            ("build", () => BuildTime.RunAsync(report)),
            ("no-op reconcile", () => NoOpReconcile.RunAsync(cluster, report)),
            ("idle poll", () => IdlePoll.RunAsync(cluster, work, report)),
            ("webhook and drift latency", () => ServiceLatency.RunAsync(cluster, settings, work, report)),
            ("resident memory", () => ResidentMemory.RunAsync(cluster, settings, work, report)),
        ];
        foreach (var (name, run) in scenarios)
        {
            try
            {
                await run();
            }
            catch (Exception ex)
            {
                report.Error(name, ex);
            }
        }
    }
}
finally
{
    if (cluster is not null)
    {
        await cluster.Server.DisposeAsync();
    }

    try
    {
        Directory.Delete(work, recursive: true);
    }
    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"bench: could not remove {work}: {ex.Message}");
    }
}

machine.LoadAverageAtEnd = MachineInfo.LoadAverage();
Console.WriteLine(report.ToMarkdown());
await report.WriteJsonAsync(output);
Console.Error.WriteLine($"bench: wrote {Path.GetFullPath(output)}");

// Missed targets are findings, not failures; only a scenario that could not run fails the run.
return report.Errors.Count == 0 ? 0 : 1;
