using System.Diagnostics;
using Homelab.Benchmarks.Infrastructure;
using Homelab.Benchmarks.Report;

namespace Homelab.Benchmarks.Scenarios;

/// <summary>
/// <c>build</c> of a small tree as a whole process, native, against <c>kubectl kustomize</c> of the same
/// folder (median of 5 each): the repository's own cluster folder, clusters/my-laptop.
/// </summary>
internal static class BuildTime
{
    private const int Runs = 5;

    public static async Task RunAsync(BenchmarkReport report)
    {
        var tree = Path.Combine(BenchPaths.RepositoryRoot, "clusters", "my-laptop");
        var kubectl = await MedianAsync("kubectl", ["kustomize", tree]);
        var native = await MedianAsync(BenchPaths.NativeReconciler, ["build", tree]);
        var jit = await MedianAsync("dotnet", [BenchPaths.ReconcilerDll, "build", tree]);
        const string scenario = "build of a small tree (clusters/my-laptop), whole process, p50 of 5";
        report.Add(new Measurement(scenario, "build, native process", native, "s", kubectl, Target: "not slower than kubectl kustomize", Met: native <= kubectl));
        report.Add(new Measurement(scenario, "build, JIT process", jit, "s", kubectl));
    }

    private static async Task<double> MedianAsync(string file, string[] arguments)
    {
        var samples = new List<double>();
        for (var run = 0; run < Runs; run++)
        {
            var clock = Stopwatch.StartNew();
            await ExternalCommand.RunAsync(file, arguments);
            samples.Add(clock.Elapsed.TotalSeconds);
        }

        return Percentiles.Of(samples, 50);
    }
}
