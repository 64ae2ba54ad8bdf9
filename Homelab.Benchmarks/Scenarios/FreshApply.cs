using Homelab.Tests.Infrastructure;
using System.Diagnostics;
using Homelab.Benchmarks.Infrastructure;
using Homelab.Benchmarks.Report;
using Homelab.Reconciler.Cli;

namespace Homelab.Benchmarks.Scenarios;

/// <summary>
/// Fresh apply of N objects into an empty DCP, three ways on three fresh servers: <c>kubectl apply -f DIR</c>
/// (client-side; server-side apply cannot create on DCP), <c>reconcile --once</c> as a spawned
/// <c>dotnet Homelab.Reconciler.dll</c> (same process start cost as kubectl), and in-process through
/// <see cref="CliApplication"/> (no .NET start-up). The in-process server of the largest N is kept.
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

            double spawned;
            await using (var server = await DcpApiServer.StartAsync(BenchPaths.Dcp, serverOnly: true))
            {
                var clock = Stopwatch.StartNew();
                await ExternalCommand.RunAsync("dotnet", [BenchPaths.ReconcilerDll, .. ReconcileArguments(repository, server, Path.Combine(work, $"state-spawned-{size}"))]);
                spawned = clock.Elapsed.TotalSeconds;
                await ExpectCountAsync(server, size, "spawned reconcile --once");
            }

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
            report.Add(new Measurement(scenario, "reconcile --once, in-process", inProcess, "s", kubectl,
                targeted ? ">= 3x faster than kubectl" : null, targeted ? kubectl / inProcess >= 3 : null));
            report.Add(new Measurement(scenario, "reconcile --once, spawned process", spawned, "s", kubectl,
                targeted ? ">= 3x faster than kubectl" : null, targeted ? kubectl / spawned >= 3 : null,
                "includes .NET start-up and JIT of a fresh process, as kubectl's time includes its own start"));

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
