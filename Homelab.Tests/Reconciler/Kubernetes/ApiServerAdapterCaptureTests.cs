using System.Net;
using System.Text.Json.Nodes;
using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Kubernetes;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Kubernetes;

/// <summary>
/// The adapter against a real kube-apiserver's recorded answers for our tree (<see cref="RealApiServer"/>),
/// served by <see cref="FakeApiServer"/> (no such server can run here): a conformant server is taken for one,
/// so every request is the one a conformant client sends: one apply per create, no POST, no GET after a dry run.
/// </summary>
public sealed class ApiServerAdapterCaptureTests
{
    private const string Navidrome = "Deployment/homelab/navidrome";
    private const string NavidromePath = "/apis/apps/v1/namespaces/homelab/deployments/navidrome";
    private static readonly ResourceMapping Deployments = new("apps/v1", "Deployment", "deployments", Namespaced: true);

    [Fact]
    public async Task A_create_by_apply_is_one_apply_RealApiServerCapture()
    {
        var stored = RealApiServer.Objects("after-apply")[Navidrome];
        await using var server = await FakeApiServer.StartAsync();
        server.Answer("PATCH", NavidromePath, stored, HttpStatusCode.Created);
        using var api = server.Connect();
        var adapter = new ApiServerAdapter(api);

        var created = await adapter.ApplyAsync(Target(live: null), Manifest(stored), Ownership.FieldManager, default);

        Assert.Equal([$"PATCH {NavidromePath}?fieldManager=homelab-reconciler&force=true"], server.Requests);
        Assert.Equal(OwnedFields.Fingerprint(stored), OwnedFields.Fingerprint(created));
        Assert.NotEqual<bool?>(false, adapter.CreatesByApply);
        Assert.Null(adapter.DryRunsWritten);
    }

    [Fact]
    public async Task A_preview_dry_run_is_sent_after_a_probe_the_server_answers_and_read_as_answered_RealApiServerCapture()
    {
        var read = RealApiServer.Objects("after-apply")[Navidrome];
        var answered = RealApiServer.WithNewImage(read);
        await using var server = await FakeApiServer.StartAsync();
        // The probe's dry-run create is answered as a kube-apiserver answers it: the object it would create.
        server.Responder = path => path == NavidromePath ? (200, answered.ToJsonString())
            : path.StartsWith("/apis/apps/v1/namespaces/homelab/deployments/", StringComparison.Ordinal) ? (201, Probe(path).ToJsonString())
            : (404, "{}");
        using var api = server.Connect();
        var adapter = new ApiServerAdapter(api);

        var answer = await adapter.DryRunAsync(Target(read), Manifest(answered), Ownership.FieldManager, preview: true, default);

        Assert.Equal(2, server.Requests.Count);
        Assert.StartsWith("PATCH /apis/apps/v1/namespaces/homelab/deployments/homelab-probe-", server.Requests[0], StringComparison.Ordinal);
        Assert.EndsWith("?fieldManager=homelab-reconciler-probe&force=true&dryRun=All", server.Requests[0], StringComparison.Ordinal);
        Assert.Equal($"PATCH {NavidromePath}?fieldManager=homelab-reconciler&force=true&dryRun=All", server.Requests[1]);
        Assert.True(adapter.CreatesByApply);
        Assert.Null(adapter.DryRunsWritten);
        Assert.True(answer.Sent);
        Assert.False(answer.Stored);
        Assert.Equal(OwnedFields.Fingerprint(answered), OwnedFields.Fingerprint(answer.Applied));
    }

    [Fact]
    public async Task A_write_by_the_servers_controllers_between_read_and_dry_run_is_no_stored_dry_run_RealApiServerCapture()
    {
        // Between our read and our dry run the server wrote the Deployment again (resourceVersion moved, our fields did not).
        var read = RealApiServer.Objects("after-apply")[Navidrome];
        var stored = RealApiServer.Objects("after-reapply")[Navidrome];
        var answered = RealApiServer.WithNewImage(stored);
        await using var server = await FakeApiServer.StartAsync();
        server.Answer("PATCH", NavidromePath, answered).Answer("GET", NavidromePath, stored);
        using var api = server.Connect();
        var adapter = new ApiServerAdapter(api);

        var answer = await adapter.DryRunAsync(Target(read), Manifest(answered), Ownership.FieldManager, preview: false, default);

        Assert.Equal([$"PATCH {NavidromePath}?fieldManager=homelab-reconciler&force=true&dryRun=All", $"GET {NavidromePath}"], server.Requests);
        Assert.True(answer.Sent);
        Assert.False(answer.Stored);
        Assert.Null(adapter.DryRunsWritten);
    }

    private static ApplyTarget Target(JsonObject? live) => new(Deployments, "homelab", "navidrome", live);

    /// <summary>What we would send: the object without what the server adds.</summary>
    private static JsonObject Manifest(JsonObject stored)
    {
        var manifest = (JsonObject)stored.DeepClone();
        manifest.Remove("status");
        var metadata = (JsonObject)manifest["metadata"]!;
        foreach (var added in new[] { "managedFields", "resourceVersion", "uid", "generation", "creationTimestamp" })
        {
            metadata.Remove(added);
        }

        return manifest;
    }

    /// <summary>A kube-apiserver's answer to the probe: the object it would create, named as asked.</summary>
    private static JsonObject Probe(string path) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = path[(path.LastIndexOf('/') + 1)..], ["namespace"] = "homelab" },
    };
}
