using Homelab.Reconciler.Apply;
using Homelab.Tests.Infrastructure;
using Homelab.Tests.Reconciler.Cli;

namespace Homelab.Tests.Reconciler.Inventory;

/// <summary>
/// Whose objects an inventory holds, on a real DCP with real Git repositories and the CLI as users run it:
/// two sources on one state directory, a deleted state directory, a corrupt inventory file.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class InventoryOwnershipTests(DcpFixture dcp)
{
    private const string Path = "clusters/test";

    [Fact]
    public async Task Another_source_on_the_same_state_directory_never_prunes_the_first_ones_objects()
    {
        var prefix = Manifests.Prefix();
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        using var api = dcp.Server.Connect();
        var first = GitRepository.Create();
        first.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Write($"{Path}/b.yaml", Yaml.Executable($"{prefix}-b")).Commit("a and b");
        var second = GitRepository.Create();
        second.Write($"{Path}/c.yaml", Yaml.Executable($"{prefix}-c")).Commit("c");

        Assert.Equal(0, (await ReconcileAsync(first, state)).ExitCode);
        var other = await ReconcileAsync(second, state);
        var again = await ReconcileAsync(first, state);

        Assert.Equal(0, other.ExitCode);
        Assert.DoesNotContain("deleted", other.Output, StringComparison.Ordinal);
        Assert.NotNull(await Live.GetExecutableAsync(api, $"{prefix}-a"));
        Assert.NotNull(await Live.GetExecutableAsync(api, $"{prefix}-b"));
        Assert.NotNull(await Live.GetExecutableAsync(api, $"{prefix}-c"));
        Assert.Contains($"Executable/{prefix}-a unchanged", again.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("deleted", again.Output, StringComparison.Ordinal);
        Assert.Equal(2, StateDirectory.InventoryFiles(state).Count);
        // Each object names its owner in the cluster; the two sources' keys differ.
        var ownerOfA = (await Live.GetExecutableAsync(api, $"{prefix}-a"))!["metadata"]!["labels"]![Ownership.OwnerLabel]!.GetValue<string>();
        var ownerOfC = (await Live.GetExecutableAsync(api, $"{prefix}-c"))!["metadata"]!["labels"]![Ownership.OwnerLabel]!.GetValue<string>();
        Assert.NotEqual(ownerOfA, ownerOfC);
    }

    [Fact]
    public async Task An_object_another_source_applied_is_adopted_and_said_so_never_called_drift()
    {
        var (prefix, state, _) = await AppliedAAndBAsync();
        var second = GitRepository.Create();
        second.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Commit("the same a");
        using var api = dcp.Server.Connect();
        // The first source's owner key, as its objects carry it (its inventory file is named per cluster too).
        var owner = Ownership.Owner(await Live.GetExecutableAsync(api, $"{prefix}-a"));
        Assert.Single(StateDirectory.InventoryFiles(state));

        var adopted = await ReconcileAsync(second, state);

        Assert.Equal(0, adopted.ExitCode);
        Assert.Contains($"Executable/{prefix}-a configured (adopted from another source or path ({Ownership.OwnerLabel}={owner}))", adopted.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("drift", adopted.Output, StringComparison.Ordinal);
        Assert.Contains($"Executable/{prefix}-a unchanged", (await ReconcileAsync(second, state)).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_state_directory_is_deleted_objects_removed_from_git_are_still_pruned()
    {
        var (prefix, state, repository) = await AppliedAAndBAsync();
        using var api = dcp.Server.Connect();

        Directory.Delete(state, recursive: true);
        repository.Delete($"{Path}/b.yaml").Commit("drop b");
        var result = await ReconcileAsync(repository, state);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"Executable/{prefix}-b deleted", result.Output, StringComparison.Ordinal);
        Assert.Contains($"Executable/{prefix}-a unchanged", result.Output, StringComparison.Ordinal);
        Assert.True(await Live.WaitUntilGoneAsync(api, $"{prefix}-b"));
    }

    [Fact]
    public async Task A_corrupt_inventory_is_set_aside_rebuilt_from_the_cluster_and_pruning_stays_correct()
    {
        var (prefix, state, repository) = await AppliedAAndBAsync();
        using var api = dcp.Server.Connect();
        var inventory = Assert.Single(StateDirectory.InventoryFiles(state));
        await File.WriteAllTextAsync(inventory, "{\"Revision\": [garbage");

        repository.Delete($"{Path}/b.yaml").Commit("drop b");
        var result = await ReconcileAsync(repository, state);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"Executable/{prefix}-b deleted", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(inventory + ".corrupt"));
        Assert.Single(await StateDirectory.EntriesAsync(state));
    }

    /// <summary>A repository with the objects a and b, reconciled once into a new state directory.</summary>
    private async Task<(string Prefix, string State, GitRepository Repository)> AppliedAAndBAsync()
    {
        var prefix = Manifests.Prefix();
        var state = Directory.CreateTempSubdirectory("homelab-state-").FullName;
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Write($"{Path}/b.yaml", Yaml.Executable($"{prefix}-b")).Commit("a and b");
        Assert.Equal(0, (await ReconcileAsync(repository, state)).ExitCode);
        return (prefix, state, repository);
    }

    private Task<CliResult> ReconcileAsync(GitRepository repository, string state) =>
        ReconcileOnceTests.RunCliAsync("reconcile", "--once", "--source", repository.Root, "--path", Path, "--kubeconfig", dcp.Server.Kubeconfig, "--state-dir", state, "--quiet");
}
