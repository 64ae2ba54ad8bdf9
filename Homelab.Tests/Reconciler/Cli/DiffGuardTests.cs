using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Cli;

/// <summary>
/// Issue 18: diff runs the reconcile pipeline as a dry run, so it stops where a reconcile would stop. It used
/// to build its stages apart and skip the empty-revision guard: it listed every object as deleted for a
/// revision that reconcile refuses.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class DiffGuardTests(DcpFixture dcp)
{
    private const string Path = "clusters/test";

    [Fact]
    public async Task Diff_of_a_revision_that_renders_nothing_is_refused_as_reconcile_refuses_it_and_writes_nothing()
    {
        var prefix = Manifests.Prefix();
        var repository = GitRepository.Create();
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("a");
        Assert.Equal(0, (await ReconcileOnceTests.RunCliAsync("reconcile", "--once", "--source", repository.Root, "--path", Path, "--kubeconfig", dcp.Server.Kubeconfig, "--state-dir", state, "--quiet")).ExitCode);
        var inventory = await File.ReadAllTextAsync(Assert.Single(StateDirectory.InventoryFiles(state)));
        using var api = dcp.Server.Connect();

        repository.Delete($"{Path}/a.yaml").Write($"{Path}/README.md", "nothing here\n").Commit("empty");
        var diff = await ReconcileOnceTests.RunCliAsync("diff", "--source", repository.Root, "--path", Path, "--kubeconfig", dcp.Server.Kubeconfig, "--state-dir", state, "--quiet");

        Assert.Equal(2, diff.ExitCode);
        Assert.Contains($"error: {Path} renders no objects at main@sha1:", diff.Error, StringComparison.Ordinal);
        Assert.Contains("1 would be pruned (use --allow-empty to allow)", diff.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("deleted", diff.Output, StringComparison.Ordinal);
        Assert.NotNull(await Live.GetExecutableAsync(api, $"{prefix}-a"));
        Assert.Equal(inventory, await File.ReadAllTextAsync(Assert.Single(StateDirectory.InventoryFiles(state))));
    }
}
