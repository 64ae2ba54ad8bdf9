using System.Net;
using System.Text.Json.Nodes;
using Homelab.Tests.Infrastructure;
using Homelab.Tests.Reconciler.Cli;

namespace Homelab.Tests.Reconciler.Safety;

/// <summary>
/// Faults with the real parts: an API server (DCP, inert) killed mid-apply and restarted, the reconciler
/// killed with SIGKILL mid-apply, the Git remote gone and back.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class FaultTests(DcpFixture dcp)
{
    private const string ClusterPath = "clusters/test";
    private const int Objects = 300;
    private const string Executables = "/apis/usvc-dev.developer.microsoft.com/v1/executables";

    [Fact]
    public async Task An_api_server_killed_mid_apply_and_restarted_converges_without_duplicates_or_orphans()
    {
        var repository = ManyObjects(out var names);
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("homelab-kube-").FullName, "kubeconfig");
        var port = LoopbackPort.Unused();
        var server = await DcpApiServer.StartAsync(TestPaths.Dcp, serverOnly: true, kubeconfig, port);

        var interrupted = Task.Run(() => ReconcileAsync(repository, state, kubeconfig));
        await WaitForAtLeastAsync(server, 20);
        await server.DisposeAsync();
        var failed = await interrupted;
        Assert.NotEqual(0, failed.ExitCode);
        Assert.DoesNotContain("   at ", failed.Output, StringComparison.Ordinal);

        await using var restarted = await DcpApiServer.StartAsync(TestPaths.Dcp, serverOnly: true, kubeconfig, port);
        var converged = await ReconcileAsync(repository, state, kubeconfig);
        Assert.True(converged.ExitCode == 0, converged.Output);
        Assert.Equal(names, await NamesAsync(restarted));
        var again = await ReconcileAsync(repository, state, kubeconfig);
        Assert.Contains($"{Objects} unchanged", again.Output, StringComparison.Ordinal);
        Assert.Equal(Objects, await InventoryCountAsync(state));
    }

    [Fact]
    public async Task A_reconciler_killed_with_sigkill_mid_apply_converges_on_restart_with_its_inventory_intact()
    {
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        await using var server = await DcpApiServer.StartAsync(TestPaths.Dcp, serverOnly: true);
        // A first revision with one object, so an inventory exists when the big one is killed.
        var repository = GitRepository.Create();
        repository.Write($"{ClusterPath}/seed.yaml", Yaml.Executable("seed")).Commit("seed");
        Assert.Equal(0, (await ReconcileAsync(repository, state, server.Kubeconfig)).ExitCode);
        repository.Delete($"{ClusterPath}/seed.yaml");
        ManyObjects(out var names, repository);

        var dll = TestPaths.ReconcilerDll;
        using (var process = ProcessRunner.Start("dotnet", [dll, "reconcile", "--once", "--source", repository.Root, "--path", ClusterPath, "--kubeconfig", server.Kubeconfig, "--state-dir", state, "--quiet"]))
        {
            await WaitForAtLeastAsync(server, 20);
            process.Kill(); // SIGKILL: no cleanup runs.
            await process.WaitForExitAsync();
        }

        Assert.True((await NamesAsync(server)).Split(',').Length < Objects + 1, "the apply finished before the kill: nothing was interrupted");

        Assert.True(await InventoryCountAsync(state) >= 1, "the inventory file is unreadable after the kill");
        var converged = await ReconcileAsync(repository, state, server.Kubeconfig);
        Assert.True(converged.ExitCode == 0, converged.Output);
        // The seed object left Git in the new revision: pruned, nothing orphaned.
        Assert.Contains("Executable/seed deleted", converged.Output, StringComparison.Ordinal);
        Assert.Equal(names, await NamesAsync(server));
        Assert.Equal(Objects, await InventoryCountAsync(state));
    }

    [Fact]
    public async Task When_the_git_remote_goes_away_the_applied_state_stays_retries_back_off_and_it_recovers()
    {
        var prefix = Manifests.Prefix();
        var remote = GitRepository.Create();
        remote.Write($"{ClusterPath}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
        using var api = dcp.Server.Connect();
        await using var host = await ReconcilerHost.StartAsync(remote.Root, ClusterPath, dcp.Server.Kubeconfig, TimeSpan.FromMinutes(10));
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(15), async () => (await host.StatusAsync())["ready"]!.GetValue<bool>()));
        var applied = (await host.StatusAsync())["lastAppliedRevision"]!.GetValue<string>();

        var away = remote.Root + "-away";
        Directory.Move(remote.Root, away);
        using (var reconcile = await host.PostAsync("/reconcile"))
        {
            Assert.Equal(HttpStatusCode.Accepted, reconcile.StatusCode);
        }

        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(10), async () => (await host.StatusAsync())["reason"]!.GetValue<string>() == "ArtifactFailed"));
        var failing = await host.StatusAsync();
        Assert.Equal(applied, failing["lastAppliedRevision"]!.GetValue<string>());
        Assert.NotNull(await Live.GetExecutableAsync(api, $"{prefix}-a"));
        // Backoff: the next try is seconds away, not the 10-minute interval.
        var wait = DateTimeOffset.Parse(failing["nextReconcileAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            - DateTimeOffset.Parse(failing["lastReconcileAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(wait, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

        Directory.Move(away, remote.Root);
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(20), async () => (await host.StatusAsync())["ready"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task A_branch_force_pushed_backwards_applies_the_older_revision_and_prunes_what_it_lacks()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        using var api = dcp.Server.Connect();
        var older = repository.Write($"{ClusterPath}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
        repository.Write($"{ClusterPath}/b.yaml", Yaml.Executable($"{prefix}-b")).Commit("b");
        Assert.Equal(0, (await ReconcileAsync(repository, state, dcp.Server.Kubeconfig)).ExitCode);
        Assert.NotNull(await Live.GetExecutableAsync(api, $"{prefix}-b"));

        // The branch moves back to the older commit (what a force-push does to the remote's ref).
        repository.Git("reset", "-q", "--hard", older);
        var result = await ReconcileAsync(repository, state, dcp.Server.Kubeconfig);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains($"revision: main@sha1:{older}", result.Output, StringComparison.Ordinal);
        Assert.Contains($"Executable/{prefix}-b deleted", result.Output, StringComparison.Ordinal);
        Assert.True(await Live.WaitUntilGoneAsync(api, $"{prefix}-b"));
        Assert.NotNull(await Live.GetExecutableAsync(api, $"{prefix}-a"));
    }

    private static GitRepository ManyObjects(out string names, GitRepository? into = null)
    {
        var repository = into ?? GitRepository.Create();
        var list = new List<string>();
        for (var i = 0; i < Objects; i++)
        {
            var name = $"fault-{i:D3}";
            list.Add(name);
            repository.Write($"{ClusterPath}/{name}.yaml", Yaml.Executable(name));
        }

        repository.Commit("many");
        names = string.Join(',', list.Order(StringComparer.Ordinal));
        return repository;
    }

    private static async Task<string> NamesAsync(DcpApiServer server)
    {
        using var api = server.Connect();
        var list = await api.GetAsync(Executables, default);
        return string.Join(',', list!["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    private static async Task WaitForAtLeastAsync(DcpApiServer server, int count)
    {
        using var api = server.Connect();
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(20))
        {
            if (((await api.GetAsync(Executables, default))?["items"]?.AsArray().Count ?? 0) >= count)
            {
                return;
            }
        }

        throw new TimeoutException($"fewer than {count} objects appeared");
    }

    private static async Task<int> InventoryCountAsync(string state) => (await StateDirectory.EntriesAsync(state)).Count;

    private static Task<CliResult> ReconcileAsync(GitRepository repository, string state, string kubeconfig) =>
        ReconcileOnceTests.RunCliAsync("reconcile", "--once", "--source", repository.Root, "--path", ClusterPath, "--kubeconfig", kubeconfig, "--state-dir", state, "--quiet");
}
