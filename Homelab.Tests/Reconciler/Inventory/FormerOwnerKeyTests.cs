using Homelab.Reconciler.Apply;
using Homelab.Kustomize;
using Homelab.Reconciler.Inventory;
using Homelab.Reconciler.Kubernetes;
using Homelab.Reconciler.Reconcile;
using Homelab.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Homelab.Tests.Reconciler.Inventory;

/// <summary>
/// Upgrading from the version whose owner key held the API server's address (so a laptop and a pod disagreed):
/// its objects carry that key, which is now this owner's <see cref="InventoryOwner.FileKey"/>. On a real DCP and Git
/// repository, the first cycle after the upgrade relabels them as its own and prunes what left Git.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class FormerOwnerKeyTests(DcpFixture dcp)
{
    private const string Path = "clusters/test";

    [Fact]
    public async Task Objects_labelled_with_the_former_key_are_relabelled_never_adopted_and_what_left_git_is_pruned()
    {
        var prefix = Manifests.Prefix();
        using var api = dcp.Server.Connect();
        var repository = GitRepository.Create();
        repository.Write($"{Path}/a.yaml", Yaml.Executable($"{prefix}-a")).Write($"{Path}/b.yaml", Yaml.Executable($"{prefix}-b"));
        var revision = repository.Commit("a and b");
        var options = TestPipeline.Options(repository.Root, Path);
        var owner = options.Inventory(api.Server, NullLogger.Instance);
        // As the version before left them: labelled with the former key, listed in the inventory file of that key.
        var built = new KustomizeBuilder(BuildLimits.Default).Build(repository.Root, Path);
        var applied = await new ServerSideApplier(api, new ApiDiscovery(api), new ApplyOptions(Owner: owner.Owner.FileKey)).ApplyAsync(built, dryRun: false, default);
        await owner.SaveAsync(new ObjectInventory(revision, built.Select(ObjectReference.Of).ToList(), applied.Fingerprints()), default);
        Assert.NotEqual(owner.Owner.Key, owner.Owner.FileKey);

        repository.Delete($"{Path}/b.yaml").Commit("drop b");
        var upgraded = await TestPipeline.Create(options, api, NullLogger<ReconcilePipeline>.Instance).RunAsync(skipWhenUnchanged: false, default);

        Assert.True(upgraded.Ready, upgraded.Message);
        Assert.Equal((ChangeAction.Configured, "owner recorded"), (ChangeOf(upgraded, "a").Action, ChangeOf(upgraded, "a").Reason?.ToString()));
        Assert.Equal(ChangeAction.Deleted, ChangeOf(upgraded, "b").Action);
        Assert.True(await Live.WaitUntilGoneAsync(api, $"{prefix}-b"), "b, removed from Git, is still there");
        Assert.Equal(owner.Owner.Key, Ownership.Owner(await Live.GetExecutableAsync(api, $"{prefix}-a")));
    }

    private static Change ChangeOf(ReconcileResult result, string name) =>
        Assert.Single(result.Changes.Changes, c => c.Target.Name.EndsWith($"-{name}", StringComparison.Ordinal));
}
