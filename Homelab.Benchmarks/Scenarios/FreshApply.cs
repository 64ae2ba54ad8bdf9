using Homelab.Tests.Infrastructure;
using System.Diagnostics;
using Homelab.Benchmarks.Infrastructure;
using Homelab.Benchmarks.Report;
using Homelab.Reconciler.Cli;

namespace Homelab.Benchmarks.Scenarios;

/// <summary>
/// Fresh apply of N objects into an empty DCP, four ways: <c>kubectl apply -f DIR</c>
/// (client-side; server-side apply cannot create on DCP), <c>reconcile --once</c> as a whole process, native
/// (the executable the image ships) and JIT (<c>dotnet Homelab.Reconciler.dll</c>), both paying their start-up
/// as kubectl does, and in-process through <see cref="CliApplication"/> (no start-up). Each on its own fresh
/// server; the in-process server of the largest N is kept.
/// </summary>
internal static class FreshApply
{
    public static async Task<BenchCluster> RunAsync(BenchmarkSettings settings, string work, BenchmarkReport report)
    {
        await WarmUpAsync(work);
        BenchCluster? kept = null;
        foreach (var size in settings.Sizes)
        {
            var repository = await BenchRepository.CreateAsync(Path.Combine(work, $"fresh-{size}"), BenchmarkSettings.Prefix, size);
            var scenario = $"fresh apply, N={size}";

            double kubectl;
            await using (var server = await DcpApiServer.StartAsync(BenchPaths.Dcp, serverOnly: true))
            {
                var clock = Stopwatch.StartNew();
                await ExternalCommand.RunAsync("kubectl", ["--kubeconfig", server.Kubeconfig, "apply", "-f", repository.ManifestDirectory]);
                kubectl = clock.Elapsed.TotalSeconds;
                await ExpectCountAsync(server, size, "kubectl apply");
            }

            var spawned = await SpawnedAsync("dotnet", [BenchPaths.ReconcilerDll], repository, Path.Combine(work, $"state-spawned-{size}"), size, "spawned reconcile --once");
            var native = await SpawnedAsync(BenchPaths.NativeReconciler, [], repository, Path.Combine(work, $"state-native-{size}"), size, "native reconcile --once");

            var inProcessServer = await DcpApiServer.StartAsync(BenchPaths.Dcp, serverOnly: true);
            var state = Path.Combine(work, $"state-fresh-{size}");
            double inProcess;
            try
            {
                var clock = Stopwatch.StartNew();
                await ReconcileInProcessAsync(repository, inProcessServer, state);
                inProcess = clock.Elapsed.TotalSeconds;
                await ExpectCountAsync(inProcessServer, size, "in-process reconcile --once");
            }
            catch
            {
                await inProcessServer.DisposeAsync();
                throw;
            }

            var targeted = size == settings.TargetSize;
            report.Add(new Measurement(scenario, "reconcile --once, in-process", inProcess, "s", kubectl));
            report.Add(new Measurement(scenario, "reconcile --once, spawned JIT process", spawned, "s", kubectl,
                Note: "includes .NET start-up and JIT of a fresh process, as kubectl's time includes its own start"));
            report.Add(new Measurement(scenario, "reconcile --once, native process", native, "s", kubectl,
                targeted ? ">= 10x faster than kubectl" : null, targeted ? kubectl / native >= 10 : null,
                "the NativeAOT executable the image ships: a whole process, as kubectl"));

            if (size == settings.LargestSize)
            {
                kept = new BenchCluster(inProcessServer, repository, state, size);
            }
            else
            {
                await inProcessServer.DisposeAsync();
            }
        }

        return kept!;
    }

    /// <summary>Times <c>reconcile --once</c> as its own process on its own empty server.</summary>
    private static async Task<double> SpawnedAsync(string file, string[] prefix, BenchRepository repository, string state, int size, string what)
    {
        await using var server = await DcpApiServer.StartAsync(BenchPaths.Dcp, serverOnly: true);
        var clock = Stopwatch.StartNew();
        await ExternalCommand.RunAsync(file, [.. prefix, .. ReconcileArguments(repository, server, state)]);
        var seconds = clock.Elapsed.TotalSeconds;
        await ExpectCountAsync(server, size, what);
        return seconds;
    }

    public static string[] ReconcileArguments(BenchRepository repository, DcpApiServer server, string state) =>
    [
        "reconcile", "--once", "--source", repository.Bare, "--ref", "main", "--path", BenchRepository.ClusterPath,
        "--kubeconfig", server.Kubeconfig, "--state-dir", state, "--quiet",
    ];

    private static async Task ReconcileInProcessAsync(BenchRepository repository, DcpApiServer server, string state)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApplication.RunAsync(ReconcileArguments(repository, server, state), output, error, _ => Task.FromResult(2));
        if (exit != 0)
        {
            throw new InvalidOperationException($"reconcile --once exited with {exit}: {error}{output}");
        }
    }

    /// <summary>JIT and first-connection costs of this process are paid here, on a throwaway server, not in N=smallest.</summary>
    private static async Task WarmUpAsync(string work)
    {
        var repository = await BenchRepository.CreateAsync(Path.Combine(work, "warm-up"), "warm-", 10);
        await using var server = await DcpApiServer.StartAsync(BenchPaths.Dcp, serverOnly: true);
        await ReconcileInProcessAsync(repository, server, Path.Combine(work, "state-warm-up"));
    }

    private static async Task ExpectCountAsync(DcpApiServer server, int expected, string what)
    {
        using var api = server.Connect();
        var list = await api.GetAsync($"/apis/{BenchRepository.DcpApiVersion}/executables", default);
        var count = list?["items"]?.AsArray().Count ?? 0;
        if (count != expected)
        {
            throw new InvalidOperationException($"{what} left {count} Executables, expected {expected}");
        }
    }
}
