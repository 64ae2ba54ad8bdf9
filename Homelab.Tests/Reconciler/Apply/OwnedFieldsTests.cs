using System.Text.Json.Nodes;
using Homelab.Reconciler.Apply;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Reconciler.Apply;

/// <summary>
/// "Unchanged" and "changed out of band" decided from a real kube-apiserver's answers for our own tree
/// (<see cref="RealApiServer"/>): its objects after our apply, after an identical re-apply, and copies of
/// them edited by hand the way kubectl scale/edit/label would leave them.
/// </summary>
public sealed class OwnedFieldsTests
{
    private const string Navidrome = "Deployment/homelab/navidrome";

    [Fact]
    public void An_identical_reapply_on_a_real_server_keeps_every_fingerprint_though_resource_versions_moved()
    {
        var applied = RealApiServer.Objects("after-apply");
        var reapplied = RealApiServer.Objects("after-reapply");

        Assert.Equal(14, applied.Count);
        Assert.Equal(applied.Keys.Order(StringComparer.Ordinal), reapplied.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, before) in applied)
        {
            Assert.True(OwnedFields.Fingerprint(before) is { Length: 16 }, $"{key} has no fingerprint");
            Assert.Equal(OwnedFields.Fingerprint(before), OwnedFields.Fingerprint(reapplied[key]));
        }

        // The data holds what fooled the old comparison: the server wrote the Deployments again.
        Assert.NotEqual(ResourceVersion(applied[Navidrome]), ResourceVersion(reapplied[Navidrome]));
    }

    [Theory]
    [InlineData("scaled", """{"spec":{"replicas":3}}""")]
    [InlineData("image changed", """{"spec":{"template":{"spec":{"containers":[{"name":"navidrome","image":"docker.io/deluan/navidrome:0.50.0"}]}}}}""")]
    [InlineData("a label removed", """{"metadata":{"labels":{"app.kubernetes.io/part-of":null}}}""")]
    [InlineData("a limit raised", """{"spec":{"template":{"spec":{"containers":[{"name":"navidrome","resources":{"limits":{"memory":"1Gi"}}}]}}}}""")]
    public void A_hand_edit_of_a_field_we_own_changes_the_fingerprint_on_copies_of_real_server_objects(string edit, string patch)
    {
        var stored = RealApiServer.Objects("after-apply")[Navidrome];

        var edited = MergePatch(stored, patch);

        Assert.False(OwnedFields.Fingerprint(stored) == OwnedFields.Fingerprint(edited), $"{edit} was not seen");
    }

    [Theory]
    [InlineData("status written by a controller", """{"status":{"observedGeneration":1,"replicas":1,"readyReplicas":1}}""")]
    [InlineData("bookkeeping moved", """{"metadata":{"resourceVersion":"999","generation":2}}""")]
    [InlineData("a field of another manager", """{"metadata":{"annotations":{"deployment.kubernetes.io/revision":"2"}}}""")]
    [InlineData("a default the server filled in changed", """{"spec":{"progressDeadlineSeconds":300}}""")]
    public void What_others_own_leaves_the_fingerprint_alone_on_copies_of_real_server_objects(string edit, string patch)
    {
        var stored = RealApiServer.Objects("after-apply")[Navidrome];

        var edited = MergePatch(stored, patch);

        Assert.True(OwnedFields.Fingerprint(stored) == OwnedFields.Fingerprint(edited), $"{edit} was taken for drift");
    }

    [Fact]
    public void An_object_without_our_apply_entry_has_no_fingerprint()
    {
        var stored = (JsonObject)RealApiServer.Objects("after-apply")[Navidrome].DeepClone();
        stored["metadata"]!["managedFields"]![0]!["manager"] = "kubectl-client-side-apply";

        Assert.Null(OwnedFields.Fingerprint(stored));
    }

    [Fact]
    public void The_projection_keeps_owned_list_items_by_key_and_atomic_values_whole()
    {
        var stored = RealApiServer.Objects("after-apply")[Navidrome];
        var fields = (JsonObject)stored["metadata"]!["managedFields"]![0]!["fieldsV1"]!;

        var projection = OwnedFields.Project(stored, fields)!;

        Assert.Equal(stored["spec"]!["selector"]!.ToJsonString(), projection["f:spec"]!["f:selector"]!.ToJsonString());
        var container = projection["f:spec"]!["f:template"]!["f:spec"]!["f:containers"]!["k:{\"name\":\"navidrome\"}"]!;
        Assert.Equal("docker.io/deluan/navidrome:0.58.5", container["f:image"]!.GetValue<string>());
        Assert.Null(projection["f:status"]);
    }

    private static string ResourceVersion(JsonObject item) => item["metadata"]!["resourceVersion"]!.GetValue<string>();

    /// <summary>RFC 7386 merge patch, except that a list of named items is merged by name (as kubectl's strategic merge does for containers).</summary>
    private static JsonObject MergePatch(JsonObject target, string patch)
    {
        var copy = (JsonObject)target.DeepClone();
        Merge(copy, JsonNode.Parse(patch)!.AsObject());
        return copy;
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            switch (value)
            {
                case null:
                    target.Remove(key);
                    break;
                case JsonObject child when target[key] is JsonObject existing:
                    Merge(existing, child);
                    break;
                case JsonArray items when target[key] is JsonArray existing:
                    foreach (var item in items.OfType<JsonObject>())
                    {
                        Merge(existing.OfType<JsonObject>().Single(e => e["name"]!.GetValue<string>() == item["name"]!.GetValue<string>()), item);
                    }

                    break;
                default:
                    target[key] = value.DeepClone();
                    break;
            }
        }
    }
}
