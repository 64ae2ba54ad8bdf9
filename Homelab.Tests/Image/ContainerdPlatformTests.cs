namespace Homelab.Tests.Image;

/// <summary>
/// The multi-platform OCI archive imported into a private containerd (Debian's, as k3s and kubeadm nodes run it) with
/// <c>ctr images import</c> in the kubelet's namespace, k8s.io: the published name lists both platforms, and each
/// node keeps the content of its own platform (<c>--platform</c> stands in for an arm64 node's default, and
/// <c>--all-platforms</c> is how <c>kind load image-archive</c> imports).
/// </summary>
public sealed class ContainerdPlatformTests(ReconcilerImageFixture image) : IClassFixture<ReconcilerImageFixture>
{
    private const string Kubelet = "k8s.io";

    [ContainerdFact]
    public async Task Ctr_imports_the_oci_archive_under_the_published_name_listing_both_platforms_and_keeps_each_nodes_content()
    {
        var published = await PublishedImage.ReferenceAsync();
        var manifests = OciArchive.Read(image.Archive).Manifests();
        await using var containerd = await Containerd.StartAsync();

        // This amd64 machine's default platform, as `ctr -n k8s.io images import FILE` runs on an amd64 node.
        var import = await containerd.CtrAsync(Kubelet, "images", "import", image.Archive);
        Assert.True(import.ExitCode == 0, import.Error);
        var listed = (await containerd.CtrAsync(Kubelet, "images", "ls")).Output.Split('\n')
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(columns => columns.Length > 0 && columns[0] == published)
            .ToList();
        var row = Assert.Single(listed);
        Assert.Contains("linux/amd64,linux/arm64", row);
        Assert.Contains("complete (2/2)", (await containerd.CtrAsync(Kubelet, "images", "check")).Output, StringComparison.Ordinal);
        AssertHolds(await ContentAsync(containerd, Kubelet), manifests["linux/amd64"], "linux/amd64");

        // An arm64 node's import (its default platform), in a namespace of its own.
        var arm64 = await containerd.CtrAsync("arm64-node", "images", "import", "--platform", "linux/arm64", image.Archive);
        Assert.True(arm64.ExitCode == 0, arm64.Error);
        AssertHolds(await ContentAsync(containerd, "arm64-node"), manifests["linux/arm64"], "linux/arm64");

        var all = await containerd.CtrAsync("kind-node", "images", "import", "--all-platforms", image.Archive);
        Assert.True(all.ExitCode == 0, all.Error);
        var content = await ContentAsync(containerd, "kind-node");
        foreach (var (platform, manifest) in manifests)
        {
            AssertHolds(content, manifest, platform);
        }
    }

    private static async Task<HashSet<string>> ContentAsync(Containerd containerd, string ns) =>
        (await containerd.CtrAsync(ns, "content", "ls", "-q")).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>The platform's config and layers are in the content store: what a container of it unpacks.</summary>
    private static void AssertHolds(HashSet<string> content, System.Text.Json.Nodes.JsonObject manifest, string platform)
    {
        var config = manifest["config"]!["digest"]!.GetValue<string>();
        Assert.True(content.Contains(config), $"{platform}: config {config} is not in containerd's content store");
        foreach (var layer in manifest["layers"]!.AsArray())
        {
            var digest = layer!["digest"]!.GetValue<string>();
            Assert.True(content.Contains(digest), $"{platform}: layer {digest} is not in containerd's content store");
        }
    }
}
