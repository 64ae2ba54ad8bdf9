using System.Text.Json.Nodes;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Image;

/// <summary>
/// What eng/build-image.sh leaves for a node or a registry: podman's manifest list and the OCI archive, an image
/// index with one image per platform (linux/amd64 and linux/arm64) under the published Deployment's name.
/// </summary>
public sealed class MultiPlatformImageTests(ReconcilerImageFixture image) : IClassFixture<ReconcilerImageFixture>
{
    private static readonly string[] Platforms = ["linux/amd64", "linux/arm64"];

    // The budget per architecture, in bytes (decimal MB), for the layers as shipped (gzip) and unpacked.
    private const long Budget = 60_000_000;

    [ImageFact]
    public void Each_platform_of_the_oci_archive_stays_under_60_MB_compressed_and_unpacked_by_its_manifests_layers()
    {
        var archive = OciArchive.Read(image.Archive);
        Assert.Equal(Platforms, archive.Manifests().Keys.Order(StringComparer.Ordinal));

        foreach (var platform in Platforms)
        {
            var layers = archive.Layers(platform);
            var compressed = layers.Sum(l => l["size"]!.GetValue<long>());
            var unpacked = layers.Sum(archive.UncompressedSize);

            Assert.All(layers, l => Assert.Equal("application/vnd.oci.image.layer.v1.tar+gzip", l["mediaType"]!.GetValue<string>()));
            Assert.True(compressed < Budget, $"{platform}: {compressed} bytes compressed, over {Budget}");
            Assert.True(unpacked < Budget, $"{platform}: {unpacked} bytes unpacked, over {Budget}");
            // Sanity: the executable alone is megabytes; an empty layer would pass the budget too.
            Assert.True(unpacked > 10_000_000, $"{platform}: only {unpacked} bytes unpacked");
        }
    }

    [ImageFact]
    public async Task The_oci_archive_names_its_index_with_the_published_image_for_containerd_and_the_oci_layout()
    {
        var published = await PublishedImage.ReferenceAsync();
        var archive = OciArchive.Read(image.Archive);

        Assert.Equal("1.0.0", archive.Json("oci-layout")?["imageLayoutVersion"]?.GetValue<string>());
        var entry = archive.IndexEntry;
        Assert.Equal("application/vnd.oci.image.index.v1+json", entry["mediaType"]!.GetValue<string>());
        Assert.Equal(published, entry["annotations"]?["io.containerd.image.name"]?.GetValue<string>());
        Assert.Equal(published, entry["annotations"]?["org.opencontainers.image.ref.name"]?.GetValue<string>());
        // Each platform's config says the platform its manifest is listed under, as runtimes check.
        foreach (var (platform, manifest) in archive.Manifests())
        {
            var config = JsonNode.Parse(archive.Blob(manifest["config"]!["digest"]!.GetValue<string>()))!;
            Assert.Equal(platform, $"{config["os"]}/{config["architecture"]}");
            Assert.Equal("""["/app/Homelab.Reconciler"]""", config["config"]!["Entrypoint"]!.ToJsonString());
            Assert.Equal("1654:1654", config["config"]!["User"]!.GetValue<string>());
        }
    }

    [ImageFact]
    public async Task The_oci_archive_carries_dockers_manifest_json_naming_the_amd64_image_FormatOnly()
    {
        // No Docker engine runs here: this checks the file Docker's own image store loads (`docker load`), not a load.
        var published = await PublishedImage.ReferenceAsync();
        var archive = OciArchive.Read(image.Archive);
        var amd64 = archive.Manifests()["linux/amd64"];

        var entry = Assert.Single(archive.Json("manifest.json")!.AsArray())!;
        Assert.Equal(published, Assert.Single(entry["RepoTags"]!.AsArray())!.GetValue<string>());
        Assert.Equal($"blobs/sha256/{amd64["config"]!["digest"]!.GetValue<string>()["sha256:".Length..]}", entry["Config"]!.GetValue<string>());
        Assert.Equal(
            amd64["layers"]!.AsArray().Select(l => $"blobs/sha256/{l!["digest"]!.GetValue<string>()["sha256:".Length..]}"),
            entry["Layers"]!.AsArray().Select(l => l!.GetValue<string>()));
    }

    [ImageFact]
    public void Podmans_store_holds_the_reference_as_a_manifest_list_of_both_platforms()
    {
        var (exitCode, output) = Podman.Run("manifest", "inspect", image.Reference);
        Assert.True(exitCode == 0, output);

        var platforms = JsonNode.Parse(output)!["manifests"]!.AsArray()
            .Select(m => $"{m!["platform"]!["os"]}/{m["platform"]!["architecture"]}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(Platforms, platforms);
    }
}
