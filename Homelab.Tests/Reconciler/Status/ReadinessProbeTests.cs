using System.Net;
using Homelab.Defaults;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Status;

/// <summary>
/// Issue 17: <c>/ready</c> means something a user can act on. Git or the API server out of reach makes the
/// pod unready; a broken commit never does, since the push that fixes it arrives through the Service.
/// Against a real DCP, real Git repositories and real sockets.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class ReadinessProbeTests(DcpFixture dcp)
{
    private const string Path = "clusters/test";
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(10);

    public enum OutOfReach
    {
        /// <summary>An https Git server that is not there (as DNS or TLS failing).</summary>
        GitServer,

        /// <summary>A repository that does not exist.</summary>
        Repository,

        /// <summary>An API server that is not there.</summary>
        ApiServer,
    }

    [Theory]
    [InlineData(OutOfReach.GitServer, "ArtifactFailed")]
    [InlineData(OutOfReach.Repository, "ArtifactFailed")]
    [InlineData(OutOfReach.ApiServer, "ReconciliationFailed")]
    public async Task Git_or_the_api_server_out_of_reach_is_not_ready_while_alive(OutOfReach outOfReach, string reason)
    {
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{Manifests.Prefix()}-a")).Commit("a");
        var source = outOfReach switch
        {
            OutOfReach.GitServer => $"https://127.0.0.1:{LoopbackPort.Unused()}/homelab.git",
            OutOfReach.Repository => System.IO.Path.Combine(Directory.CreateTempSubdirectory("homelab-missing-").FullName, "no-such-repository"),
            _ => repository.Root,
        };
        var kubeconfig = outOfReach == OutOfReach.ApiServer ? KubeconfigFile.PointingAt(new Uri($"https://127.0.0.1:{LoopbackPort.Unused()}")) : dcp.Server.Kubeconfig;
        await using var host = await ReconcilerHost.StartAsync(source, Path, kubeconfig, Long);

        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(30), async () => (await host.StatusAsync())["lastReconcileAt"] is not null));
        Assert.Equal(reason, (await host.StatusAsync())["reason"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await host.ProbeAsync(ProbePaths.Ready));
        Assert.Equal(HttpStatusCode.OK, await host.ProbeAsync(ProbePaths.Alive));
    }

    public enum BrokenCommit
    {
        BuildFails,
        KindTheServerDoesNotServe,
        FoldersOverTheLimit,
        RendersNothing,
        WorkloadFailsItsHealthCheck,
    }

    [Theory]
    [InlineData(BrokenCommit.BuildFails, "BuildFailed")]
    [InlineData(BrokenCommit.KindTheServerDoesNotServe, "ReconciliationFailed")]
    [InlineData(BrokenCommit.FoldersOverTheLimit, "ArtifactFailed")]
    [InlineData(BrokenCommit.RendersNothing, "EmptyRevisionRefused")]
    [InlineData(BrokenCommit.WorkloadFailsItsHealthCheck, "HealthCheckFailed")]
    public async Task A_broken_commit_fails_the_cycle_but_stays_ready_for_the_webhook_that_fixes_it(BrokenCommit broken, string reason)
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        repository.Write($"{Path}/README.md", "the cluster\n").Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("good");
        await using var host = await ReconcilerHost.StartAsync(repository.Root, Path, dcp.Server.Kubeconfig, Long);
        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(15), async () => (await host.StatusAsync())["ready"]!.GetValue<bool>()));
        Assert.Equal(HttpStatusCode.OK, await host.ProbeAsync(ProbePaths.Ready));

        switch (broken)
        {
            case BrokenCommit.BuildFails:
                repository.Write($"{Path}/kustomization.yaml", "resources:\n- a.yaml\n- missing.yaml\n");
                break;
            case BrokenCommit.KindTheServerDoesNotServe:
                repository.Write($"{Path}/b.yaml", $"apiVersion: usvc-dev.developer.microsoft.com/v1\nkind: Frobnicator\nmetadata:\n  name: {prefix}-b\n");
                break;
            case BrokenCommit.FoldersOverTheLimit:
                repository.Write($"{Path}/{string.Join('/', Enumerable.Repeat("d", 40))}/c.yaml", Yaml.Executable($"{prefix}-c"));
                break;
            case BrokenCommit.RendersNothing:
                repository.Delete($"{Path}/a.yaml");
                break;
            case BrokenCommit.WorkloadFailsItsHealthCheck:
                repository.Write($"{Path}/h.yaml", Yaml.ProbedExecutable($"{prefix}-h", "/nonexistent/server", LoopbackPort.Unused()));
                break;
        }

        repository.Commit($"broken: {broken}");
        using (var reconcile = await host.PostAsync("/reconcile"))
        {
            Assert.Equal(HttpStatusCode.Accepted, reconcile.StatusCode);
        }

        Assert.NotNull(await ReconcilerHost.WithinAsync(TimeSpan.FromSeconds(30), async () => (await host.StatusAsync())["reason"]!.GetValue<string>() == reason));
        Assert.Equal(HttpStatusCode.OK, await host.ProbeAsync(ProbePaths.Ready));
        Assert.Equal(HttpStatusCode.OK, await host.ProbeAsync(ProbePaths.Alive));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await host.ProbeAsync(ProbePaths.Health));
    }
}
