using System.Net;
using Homelab.Reconciler.Reconcile;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Reconcile;

/// <summary>One process per state directory: the CLI as its own process and the `run` service, on a real DCP.</summary>
[Collection(DcpCollection.Name)]
public sealed class StateLockTests(DcpFixture dcp)
{
    private const string Path = "clusters/test";

    [Fact]
    public async Task A_second_process_on_a_held_state_directory_says_which_process_holds_it_and_changes_nothing()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        using var api = dcp.Server.Connect();
        string[] reconcile = [TestPaths.ReconcilerDll, "reconcile", "--once", "--source", repository.Root, "--path", Path, "--kubeconfig", dcp.Server.Kubeconfig, "--state-dir", state, "--quiet"];

        ProcessResult refused;
        using (StateLock.TryAcquire(state, "a test holding it", out _))
        {
            refused = await ProcessRunner.RunToExitAsync("dotnet", reconcile);
        }

        var afterwards = await ProcessRunner.RunToExitAsync("dotnet", reconcile);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains($"is in use by process {Environment.ProcessId} (a test holding it)", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, afterwards.ExitCode);
        Assert.NotNull(await Live.GetExecutableAsync(api, $"{prefix}-a"));
    }

    [Fact]
    public async Task The_service_waits_for_a_held_state_directory_reporting_it_then_takes_over()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        using var api = dcp.Server.Connect();
        var held = StateLock.TryAcquire(state, "reconcile --once", out _)!;
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, TimeSpan.FromMinutes(10), $"--Reconciler:StateDirectory={state}");

        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(10), async () => (await host.StatusAsync())["reason"]!.GetValue<string>() == "StateDirectoryLocked"));
        Assert.Contains($"process {Environment.ProcessId} (reconcile --once)", (await host.StatusAsync())["message"]!.GetValue<string>(), StringComparison.Ordinal);
        using (var health = await host.Http.GetAsync(new Uri("/health", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }

        Assert.Null(await Live.GetExecutableAsync(api, $"{prefix}-a"));

        held.Dispose();
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(20), async () => (await host.StatusAsync())["ready"]!.GetValue<bool>()));
        Assert.NotNull(await Live.GetExecutableAsync(api, $"{prefix}-a"));
    }
}
