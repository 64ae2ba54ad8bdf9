using System.Diagnostics;
using Homelab.Benchmarks.Infrastructure;
using Homelab.Benchmarks.Report;
using Homelab.Reconciler.Apply;

namespace Homelab.Benchmarks.Scenarios;

/// <summary>
/// A reconcile over N objects already applied and unchanged in Git: what every interval costs.
/// First cycle of a new pipeline (as <c>reconcile --once</c>: discovery + lists), then a warm one (as the service).
/// </summary>
internal static class NoOpReconcile
{
    private const int Kinds = 1;

    public static async Task RunAsync(BenchCluster cluster, BenchmarkReport report)
    {
        using var api = cluster.Server.Connect();
        var (pipeline, _) = PipelineFactory.Create(cluster.Repository.Bare, cluster.StateDirectory, cluster.Server, api);
        var scenario = $"no-op reconcile, {cluster.Objects} objects";

        var samples = new List<(double Seconds, long Requests, long Writes)>();
        for (var cycle = 0; cycle < 6; cycle++)
        {
            var requests = api.Requests;
            var writes = api.Writes;
            var clock = Stopwatch.StartNew();
            var result = await pipeline.RunAsync(skipWhenUnchanged: false, default);
            var seconds = clock.Elapsed.TotalSeconds;
            if (!result.Ready || result.Changes.Count(ChangeAction.Unchanged) != cluster.Objects)
            {
                throw new InvalidOperationException($"no-op cycle {cycle}: {result.Reason} {result.Message}");
            }

            samples.Add((seconds, api.Requests - requests, api.Writes - writes));
        }

        var first = samples[0];
        var warm = samples.Skip(1).ToList();
        var warmSeconds = Percentiles.Of(warm.Select(s => s.Seconds).ToList(), 50);
        var passes = first.Seconds < 1 && first.Writes == 0 && first.Requests <= Kinds + 1;
        report.Add(new Measurement(scenario, "wall time, new pipeline (reconcile --once)", first.Seconds, "s", Target: "< 1 s, 0 writes, 1 list per kind", Met: passes));
        report.Add(new Measurement(scenario, "API requests, new pipeline", first.Requests, "", Target: $"<= {Kinds} list + discovery", Met: first.Requests <= Kinds + 1,
            Note: "1 discovery GET of the group-version + 1 LIST of executables; no per-object GET"));
        report.Add(new Measurement(scenario, "writes, new pipeline", first.Writes, "", Target: "0", Met: first.Writes == 0));
        report.Add(new Measurement(scenario, "wall time, warm pipeline (p50 of 5)", warmSeconds, "s", Target: "< 1 s", Met: warmSeconds < 1));
        report.Add(new Measurement(scenario, "API requests per warm cycle (max)", warm.Max(s => s.Requests), "", Target: $"<= {Kinds} list", Met: warm.All(s => s.Requests <= Kinds && s.Writes == 0)));

        var native = await NativeProcessAsync(cluster);
        report.Add(new Measurement(scenario, "wall time, native process (reconcile --once, p50 of 5)", native, "s", Target: "< 0.5 s", Met: native < 0.5,
            Note: "the executable the image ships, start to exit: start-up, fetch, build, discovery, list, compare"));
    }

    /// <summary>`reconcile --once` of the native executable, whole process, over the applied objects.</summary>
    private static async Task<double> NativeProcessAsync(BenchCluster cluster)
    {
        var samples = new List<double>();
        for (var run = 0; run < 5; run++)
        {
            var clock = Stopwatch.StartNew();
            var output = await ExternalCommand.RunAsync(BenchPaths.NativeReconciler, FreshApply.ReconcileArguments(cluster.Repository, cluster.Server, cluster.StateDirectory));
            samples.Add(clock.Elapsed.TotalSeconds);
            if (output.Contains(" created", StringComparison.Ordinal) || output.Contains(" configured", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the native no-op reconcile changed something: {output[..Math.Min(output.Length, 500)]}");
            }
        }

        return Percentiles.Of(samples, 50);
    }
}
