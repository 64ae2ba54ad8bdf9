using System.Text.Json.Nodes;
using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Kubernetes;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Kubernetes;

/// <summary>
/// The adapter against DCP live, the server that answers unlike a kube-apiserver: it is found out by its
/// answers, and the caller still gets a conformant server's results. A kube-apiserver's recorded answers
/// are in <see cref="ApiServerAdapterCaptureTests"/>.
/// </summary>
[Collection(DcpCollection.Name)]
public sealed class ApiServerAdapterTests(DcpFixture dcp)
{
    [Fact]
    public async Task On_DCP_an_apply_that_creates_is_a_create_then_an_apply_and_later_creates_skip_the_failed_apply()
    {
        using var api = dcp.Server.Connect();
        var prefix = Manifests.Prefix();
        var mapping = await Executables(api);
        var adapter = new ApiServerAdapter(api);

        var before = api.Requests;
        var created = await adapter.ApplyAsync(new ApplyTarget(mapping, null, $"{prefix}-a", Live: null), Manifests.Executable($"{prefix}-a"), Ownership.FieldManager, default);
        var first = api.Requests - before;
        before = api.Requests;
        await adapter.ApplyAsync(new ApplyTarget(mapping, null, $"{prefix}-b", Live: null), Manifests.Executable($"{prefix}-b"), Ownership.FieldManager, default);

        // The apply answered DCP's 500, then POST and the apply that makes the fields ours; the next create goes straight to POST.
        Assert.Equal(3, first);
        Assert.Equal(2, api.Requests - before);
        Assert.False(adapter.CreatesByApply);
        Assert.Equal("it cannot create by apply, as DCP", adapter.DryRunsWritten);
        Assert.NotNull(OwnedFields.Fingerprint(created));
        Assert.NotNull(OwnedFields.Fingerprint(await Live.GetExecutableAsync(api, $"{prefix}-b")));
    }

    [Fact]
    public async Task On_DCP_a_preview_dry_run_of_an_existing_object_is_not_sent_and_says_why()
    {
        using var api = dcp.Server.Connect();
        var name = $"{Manifests.Prefix()}-a";
        var existing = await ExistingAsync(api, name);
        var snapshot = await Live.SnapshotAsync(api);
        var adapter = new ApiServerAdapter(api);

        var before = api.Requests;
        var answer = await adapter.DryRunAsync(existing, Manifests.Executable(name, seconds: 900), Ownership.FieldManager, preview: true, default);

        // The probe alone was sent; it told, and the object was left as it was.
        Assert.Equal(1, api.Requests - before);
        Assert.Equal(new DryRunAnswer(null, NotSentBecause: "it cannot create by apply, as DCP"), answer);
        Assert.Equal(snapshot, await Live.SnapshotAsync(api));
    }

    [Fact]
    public async Task On_DCP_a_dry_run_before_a_write_is_found_stored_from_its_answer()
    {
        using var api = dcp.Server.Connect();
        var name = $"{Manifests.Prefix()}-a";
        var existing = await ExistingAsync(api, name);
        var adapter = new ApiServerAdapter(api);

        var answer = await adapter.DryRunAsync(existing, Manifests.Executable(name, seconds: 700), Ownership.FieldManager, preview: false, default);

        // No probe before a write: the answer (a new resourceVersion, and the server then holding it) told; the write follows anyway.
        Assert.True(answer.Sent);
        Assert.False(answer.Stored);
        Assert.Null(adapter.CreatesByApply);
        Assert.Equal($"it stored the dry run of Executable/{name}", adapter.DryRunsWritten);
        Assert.Equal("700", (await Live.GetExecutableAsync(api, name))!["spec"]!["args"]![0]!.GetValue<string>());
    }

    /// <summary>An Executable created through an adapter of its own, as the server then stores it.</summary>
    private static async Task<ApplyTarget> ExistingAsync(KubeApi api, string name)
    {
        var mapping = await Executables(api);
        await new ApiServerAdapter(api).ApplyAsync(new ApplyTarget(mapping, null, name, Live: null), Manifests.Executable(name), Ownership.FieldManager, default);
        return new ApplyTarget(mapping, null, name, await Live.GetExecutableAsync(api, name));
    }

    private static async Task<ResourceMapping> Executables(KubeApi api) =>
        await new ApiDiscovery(api).GetAsync(Manifests.DcpApiVersion, "Executable", default);
}
