using System.Text.Json.Nodes;
using Homelab.Kustomize;
using Homelab.Reconciler.Apply;
using Homelab.Reconciler.Kubernetes;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Apply;

/// <summary>
/// <see cref="InMemoryApiServer"/> held against the real kube-apiserver it stands in for: the tree the real server was given
/// (../shared/real-apiserver/desired.yaml), applied by <see cref="ServerSideApplier"/>, is stored under the same names the
/// real server listed after it, and an identical second apply is unchanged and writes nothing, as the reconciler expects
/// of a conformant server.
/// </summary>
public sealed class ApplyOnInMemoryApiServerTests
{
    [Fact]
    public async Task The_real_servers_tree_applies_as_the_real_server_stored_it_and_an_identical_reapply_writes_nothing_FakeApiServer()
    {
        var desired = Path.Combine(SharedFolder.Locate("real-apiserver"), "desired.yaml");
        var objects = new YamlToJson(desired, BuildLimits.Default).ReadDocuments(await File.ReadAllTextAsync(desired)).OfType<JsonObject>().ToList();
        await using var server = await InMemoryApiServer.StartAsync();
        using var api = server.Connect();
        var discovery = new ApiDiscovery(api);
        var options = ApplyOptions.Default with { Owner = "rebuild-test" };

        var first = await new ServerSideApplier(api, discovery, options).ApplyAsync(objects, dryRun: false, default);

        Assert.Equal(objects.Count, first.Count(ChangeAction.Created));
        foreach (var captured in RealApiServer.Objects("after-apply").Values)
        {
            var name = (string)captured["metadata"]!["name"]!;
            Assert.True(server.Find((string)captured["apiVersion"]!, (string)captured["kind"]!, (string?)captured["metadata"]!["namespace"], name) is not null, $"{RealApiServer.Key(captured)} was not stored");
        }

        var writes = server.Writes;
        var second = await new ServerSideApplier(api, discovery, options, recorded: first.Fingerprints()).ApplyAsync(objects, dryRun: false, default);

        Assert.Equal(objects.Count, second.Count(ChangeAction.Unchanged));
        Assert.Equal(writes, server.Writes);
    }
}
