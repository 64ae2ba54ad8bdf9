using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Kubernetes;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Apply;

/// <summary>Prune against a real DCP: only labelled objects of the old inventory, never opted-out ones.</summary>
[Collection(DcpCollection.Name)]
public sealed class PrunerTests(DcpFixture dcp)
{
    [Fact]
    public async Task Prune_deletes_our_objects_and_stops_their_processes_but_spares_unlabelled_and_opted_out_ones()
    {
        using var api = dcp.Server.Connect();
        var prefix = Manifests.Prefix();
        var discovery = new ApiDiscovery(api);
        var optedOut = Manifests.Executable($"{prefix}-keep");
        optedOut["metadata"]!["annotations"] = new System.Text.Json.Nodes.JsonObject { [Ownership.FluxPruneAnnotation] = Ownership.Disabled };
        await new ServerSideApplier(api, discovery, ApplyOptions.Default).ApplyAsync([Manifests.Executable($"{prefix}-gone"), optedOut], dryRun: false, default);
        Assert.Equal("Running", await Live.WaitForStateAsync(api, $"{prefix}-gone", "Running"));
        // Made by hand with kubectl: no ownership label.
        await Live.Kubectl(dcp.Server, "create", "-f", WriteManifest(Manifests.Executable($"{prefix}-hand")));

        var removed = new[] { $"{prefix}-gone", $"{prefix}-keep", $"{prefix}-hand" }
            .Select(n => new ObjectReference(Manifests.DcpApiVersion, "Executable", null, n)).ToList();
        var changes = await new Pruner(api, discovery, owner: null).PruneAsync(removed, dryRun: false, default);

        Assert.Equal(ChangeAction.Deleted, changes.Changes.Single(c => c.Target.Name.EndsWith("-gone", StringComparison.Ordinal)).Action);
        Assert.Equal(ChangeAction.Skipped, changes.Changes.Single(c => c.Target.Name.EndsWith("-keep", StringComparison.Ordinal)).Action);
        Assert.Equal(ChangeAction.Skipped, changes.Changes.Single(c => c.Target.Name.EndsWith("-hand", StringComparison.Ordinal)).Action);
        Assert.NotNull(await Live.GetExecutableAsync(api, $"{prefix}-keep"));
        Assert.NotNull(await Live.GetExecutableAsync(api, $"{prefix}-hand"));
        Assert.True(await Live.WaitUntilGoneAsync(api, $"{prefix}-gone"), "the pruned Executable is still there");
    }

    [Fact]
    public async Task An_object_labelled_with_another_owner_is_never_pruned()
    {
        using var api = dcp.Server.Connect();
        var name = $"{Manifests.Prefix()}-theirs";
        var discovery = new ApiDiscovery(api);
        await new ServerSideApplier(api, discovery, new ApplyOptions(Owner: "0123456789abcdef")).ApplyAsync([Manifests.Executable(name)], dryRun: false, default);

        var changes = await new Pruner(api, discovery, owner: "fedcba9876543210").PruneAsync([new ObjectReference(Manifests.DcpApiVersion, "Executable", null, name)], dryRun: false, default);

        var change = Assert.Single(changes.Changes);
        Assert.Equal(ChangeAction.Skipped, change.Action);
        Assert.Equal($"owned by another source or path ({Ownership.OwnerLabel}=0123456789abcdef)", change.Reason?.ToString());
        Assert.NotNull(await Live.GetExecutableAsync(api, name));
    }

    [Fact]
    public async Task An_object_applied_before_owners_were_labelled_is_pruned_by_the_owner_whose_inventory_lists_it()
    {
        using var api = dcp.Server.Connect();
        var name = $"{Manifests.Prefix()}-old";
        var discovery = new ApiDiscovery(api);
        // As versions before owner labels applied it: managed-by only.
        await new ServerSideApplier(api, discovery, ApplyOptions.Default).ApplyAsync([Manifests.Executable(name)], dryRun: false, default);

        var changes = await new Pruner(api, discovery, owner: "fedcba9876543210").PruneAsync([new ObjectReference(Manifests.DcpApiVersion, "Executable", null, name)], dryRun: false, default);

        Assert.Equal(ChangeAction.Deleted, Assert.Single(changes.Changes).Action);
        Assert.True(await Live.WaitUntilGoneAsync(api, name));
    }

    [Fact]
    public async Task A_prune_dry_run_deletes_nothing()
    {
        using var api = dcp.Server.Connect();
        var name = $"{Manifests.Prefix()}-a";
        var discovery = new ApiDiscovery(api);
        await new ServerSideApplier(api, discovery, ApplyOptions.Default).ApplyAsync([Manifests.Executable(name)], dryRun: false, default);

        var changes = await new Pruner(api, discovery, owner: null).PruneAsync([new ObjectReference(Manifests.DcpApiVersion, "Executable", null, name)], dryRun: true, default);

        Assert.Equal(ChangeAction.Deleted, Assert.Single(changes.Changes).Action);
        Assert.NotNull(await Live.GetExecutableAsync(api, name));
    }

    private static string WriteManifest(System.Text.Json.Nodes.JsonObject manifest)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("homelab-manifest-").FullName, "object.json");
        File.WriteAllText(file, manifest.ToJsonString());
        return file;
    }
}
