using System.Text.Json.Nodes;
using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Kubernetes;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Apply;

/// <summary>Server-side apply against a real DCP API server, where Executables are real processes.</summary>
[Collection(DcpCollection.Name)]
public sealed class ServerSideApplierTests(DcpFixture dcp)
{
    [Fact]
    public async Task New_objects_are_created_and_their_processes_run()
    {
        using var api = dcp.Server.Connect();
        var prefix = Manifests.Prefix();
        var applier = new ServerSideApplier(api, new ApiDiscovery(api), ApplyOptions.Default);

        var changes = await applier.ApplyAsync([Manifests.Executable($"{prefix}-a"), Manifests.Executable($"{prefix}-b")], dryRun: false, default);

        Assert.Equal(2, changes.Count(ChangeAction.Created));
        var live = await Live.GetExecutableAsync(api, $"{prefix}-a");
        Assert.True(Ownership.IsManaged(live));
        Assert.Equal("Running", await Live.WaitForStateAsync(api, $"{prefix}-a", "Running"));
        // DCP creates through POST, then the apply makes the fields ours as an Apply operation.
        Assert.Contains(live!["metadata"]!["managedFields"]!.AsArray(), f => f!["manager"]!.GetValue<string>() == Ownership.FieldManager && f["operation"]!.GetValue<string>() == "Apply");
    }

    [Fact]
    public async Task Applying_the_same_objects_again_writes_nothing_and_sends_one_list()
    {
        using var api = dcp.Server.Connect();
        var prefix = Manifests.Prefix();
        var discovery = new ApiDiscovery(api);
        JsonObject[] objects = [Manifests.Executable($"{prefix}-a"), Manifests.Executable($"{prefix}-b"), Manifests.Executable($"{prefix}-c")];
        var first = await new ServerSideApplier(api, discovery, ApplyOptions.Default).ApplyAsync(objects, dryRun: false, default);

        var writesBefore = api.Writes;
        var requestsBefore = api.Requests;
        var changes = await new ServerSideApplier(api, discovery, ApplyOptions.Default, recorded: first.Fingerprints()).ApplyAsync(objects, dryRun: false, default);

        Assert.Equal(3, first.Fingerprints().Count);
        Assert.Equal(3, changes.Count(ChangeAction.Unchanged));
        Assert.Equal(0, api.Writes - writesBefore);
        // One list for the kind, no request per object.
        Assert.Equal(1, api.Requests - requestsBefore);
    }

    [Fact]
    public async Task Without_recorded_fingerprints_a_dry_run_per_object_decides_and_nothing_is_written()
    {
        using var api = dcp.Server.Connect();
        var prefix = Manifests.Prefix();
        JsonObject[] objects = [Manifests.Executable($"{prefix}-a"), Manifests.Executable($"{prefix}-b")];
        var first = await new ServerSideApplier(api, new ApiDiscovery(api), ApplyOptions.Default).ApplyAsync(objects, dryRun: false, default);

        // A lost state directory: nothing recorded. The server's dry-run answers say nothing would change.
        var writesBefore = api.Writes;
        var changes = await new ServerSideApplier(api, new ApiDiscovery(api), ApplyOptions.Default).ApplyAsync(objects, dryRun: false, default);

        Assert.Equal(2, changes.Count(ChangeAction.Unchanged));
        Assert.Equal(0, api.Writes - writesBefore);
        Assert.Equal(first.Fingerprints(), changes.Fingerprints());
    }

    [Fact]
    public async Task A_changed_field_is_configured_and_a_hand_edit_is_reverted()
    {
        using var api = dcp.Server.Connect();
        var name = $"{Manifests.Prefix()}-a";
        var applier = new ServerSideApplier(api, new ApiDiscovery(api), ApplyOptions.Default);
        await applier.ApplyAsync([Manifests.Executable(name, seconds: 600)], dryRun: false, default);

        var changed = await applier.ApplyAsync([Manifests.Executable(name, seconds: 700)], dryRun: false, default);
        Assert.Equal(ChangeAction.Configured, Assert.Single(changed.Changes).Action);
        Assert.Equal("700", (await Live.GetExecutableAsync(api, name))!["spec"]!["args"]![0]!.GetValue<string>());

        await Live.MergePatchAsync(dcp.Server, name, """{"spec":{"args":["5"]}}""");
        var repaired = await applier.ApplyAsync([Manifests.Executable(name, seconds: 700)], dryRun: false, default);
        var repair = Assert.Single(repaired.Changes);
        Assert.Equal(ChangeAction.Configured, repair.Action);
        // kubectl patch's field manager owned spec.args: taken over, and reported.
        Assert.Equal("drift repaired: fields taken over from kubectl-patch", repair.Reason?.ToString());
        Assert.Equal("700", (await Live.GetExecutableAsync(api, name))!["spec"]!["args"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_kind_fails_before_anything_is_written()
    {
        using var api = dcp.Server.Connect();
        var prefix = Manifests.Prefix();
        var applier = new ServerSideApplier(api, new ApiDiscovery(api), ApplyOptions.Default);
        var unknown = Manifests.Executable($"{prefix}-x");
        unknown["kind"] = "Frobnicator";

        var error = await Assert.ThrowsAsync<ApplyException>(() => applier.ApplyAsync([Manifests.Executable($"{prefix}-a"), unknown], dryRun: false, default));

        Assert.Contains("Frobnicator", error.Message, StringComparison.Ordinal);
        Assert.Null(await Live.GetExecutableAsync(api, $"{prefix}-a"));
    }

    [Fact]
    public async Task An_object_the_server_refuses_fails_validation_and_its_valid_siblings_are_not_written()
    {
        using var api = dcp.Server.Connect();
        var prefix = Manifests.Prefix();
        var applier = new ServerSideApplier(api, new ApiDiscovery(api), ApplyOptions.Default);
        var invalid = Manifests.Executable($"{prefix}-Bad_Name");

        var error = await Assert.ThrowsAsync<ApplyException>(() => applier.ApplyAsync([Manifests.Executable($"{prefix}-a"), invalid], dryRun: false, default));

        Assert.Contains($"{prefix}-Bad_Name", error.Message, StringComparison.Ordinal);
        Assert.Null(await Live.GetExecutableAsync(api, $"{prefix}-a"));
    }

    [Fact]
    public async Task A_dry_run_reports_what_would_change_and_writes_nothing()
    {
        using var api = dcp.Server.Connect();
        var prefix = Manifests.Prefix();
        var applier = new ServerSideApplier(api, new ApiDiscovery(api), ApplyOptions.Default);
        await applier.ApplyAsync([Manifests.Executable($"{prefix}-a")], dryRun: false, default);
        var before = await Live.GetExecutableAsync(api, $"{prefix}-a");
        var writes = api.Writes;

        var changes = await applier.ApplyAsync([Manifests.Executable($"{prefix}-a", seconds: 900), Manifests.Executable($"{prefix}-b")], dryRun: true, default);

        Assert.Equal(1, changes.Count(ChangeAction.Configured));
        Assert.Equal(1, changes.Count(ChangeAction.Created));
        Assert.Equal(writes, api.Writes);
        // What the server holds, not only what we sent: DCP stores a dry run of apply like any other apply.
        AssertUnchanged(before, await Live.GetExecutableAsync(api, $"{prefix}-a"));
        Assert.Null(await Live.GetExecutableAsync(api, $"{prefix}-b"));
    }

    [Fact]
    public async Task A_diff_finds_DCP_out_before_its_first_dry_run_and_leaves_the_object_as_it_is()
    {
        using var api = dcp.Server.Connect();
        var name = $"{Manifests.Prefix()}-a";
        await new ServerSideApplier(api, new ApiDiscovery(api), ApplyOptions.Default).ApplyAsync([Manifests.Executable(name)], dryRun: false, default);
        var before = await Live.GetExecutableAsync(api, name);
        var server = new ApiServerAdapter(api);

        // A new connection's first diff, and nothing in it to create: the probe alone can tell.
        var changes = await new ServerSideApplier(api, new ApiDiscovery(api), ApplyOptions.Default, server: server).ApplyAsync([Manifests.Executable(name, seconds: 900)], dryRun: true, default);

        var change = Assert.Single(changes.Changes);
        Assert.Equal(ChangeAction.Configured, change.Action);
        Assert.Equal("unchecked: the API server stores dry runs (it cannot create by apply, as DCP)", change.Reason?.ToString());
        Assert.False(server.CreatesByApply);
        AssertUnchanged(before, await Live.GetExecutableAsync(api, name));
        Assert.DoesNotContain("homelab-probe-", await Live.SnapshotAsync(api), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reconcile_learns_from_the_answer_that_its_dry_run_was_stored_and_a_later_diff_sends_none()
    {
        using var api = dcp.Server.Connect();
        var prefix = Manifests.Prefix();
        var discovery = new ApiDiscovery(api);
        await new ServerSideApplier(api, discovery, ApplyOptions.Default).ApplyAsync([Manifests.Executable($"{prefix}-a"), Manifests.Executable($"{prefix}-b")], dryRun: false, default);
        var server = new ApiServerAdapter(api);

        var applied = await new ServerSideApplier(api, discovery, ApplyOptions.Default, server: server).ApplyAsync([Manifests.Executable($"{prefix}-a", seconds: 700)], dryRun: false, default);

        // No probe in a reconcile: the dry run's answer (a new resourceVersion, and the server then holding it) told.
        Assert.Equal(ChangeAction.Configured, Assert.Single(applied.Changes).Action);
        Assert.Null(server.CreatesByApply);
        Assert.Equal($"it stored the dry run of Executable/{prefix}-a", server.DryRunsWritten);

        var before = await Live.GetExecutableAsync(api, $"{prefix}-b");
        var diff = await new ServerSideApplier(api, discovery, ApplyOptions.Default, server: server).ApplyAsync([Manifests.Executable($"{prefix}-b", seconds: 900)], dryRun: true, default);

        Assert.Equal($"unchecked: the API server stores dry runs (it stored the dry run of Executable/{prefix}-a)", Assert.Single(diff.Changes).Reason?.ToString());
        AssertUnchanged(before, await Live.GetExecutableAsync(api, $"{prefix}-b"));
    }

    [Fact]
    public async Task A_diff_on_a_server_the_probe_misses_says_which_object_its_dry_run_changed_and_sends_no_more()
    {
        using var api = dcp.Server.Connect();
        var prefix = Manifests.Prefix();
        var discovery = new ApiDiscovery(api);
        await new ServerSideApplier(api, discovery, ApplyOptions.Default).ApplyAsync([Manifests.Executable($"{prefix}-a"), Manifests.Executable($"{prefix}-b")], dryRun: false, default);
        var before = await Live.GetExecutableAsync(api, $"{prefix}-b");
        // Stands in for a server that creates by apply yet stores dry runs: the probe cannot tell, the answers do.
        var server = new ApiServerAdapter(api);
        server.CanCreateByApply();

        var changes = await new ServerSideApplier(api, discovery, new ApplyOptions(Concurrency: 1), server: server)
            .ApplyAsync([Manifests.Executable($"{prefix}-a", seconds: 900), Manifests.Executable($"{prefix}-b", seconds: 900)], dryRun: true, default);

        Assert.Equal(
            [
                $"Executable/{prefix}-a configured (changed by this dry run: the API server stores dry runs)",
                $"Executable/{prefix}-b configured (unchecked: the API server stores dry runs (it stored the dry run of Executable/{prefix}-a))",
            ],
            changes.Changes.Select(c => c.ToString()));
        Assert.Equal("900", Args(await Live.GetExecutableAsync(api, $"{prefix}-a")));
        AssertUnchanged(before, await Live.GetExecutableAsync(api, $"{prefix}-b"));
    }

    /// <summary>The spec and every field we own as before (resourceVersion also moves with DCP's own status updates).</summary>
    private static void AssertUnchanged(JsonObject? before, JsonObject? after)
    {
        Assert.Equal(before!["spec"]!.ToJsonString(), after!["spec"]!.ToJsonString());
        Assert.Equal(OwnedFields.Fingerprint(before), OwnedFields.Fingerprint(after));
    }

    private static string Args(JsonObject? executable) => executable!["spec"]!["args"]![0]!.GetValue<string>();
}
