using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Homelab.Tests.Infrastructure;

namespace Homelab.Tests.Image;

/// <summary>
/// An OCI image archive as eng/build-image.sh writes it (an image layout in a tar), read the way the OCI image spec
/// defines it: index.json names an image index, whose manifests (one per platform) name a config and layers, all
/// blobs under blobs/sha256/. Read only: the tests look at what a node or Docker would import.
/// </summary>
internal sealed class OciArchive
{
    private readonly Dictionary<string, byte[]> _files;

    private OciArchive(Dictionary<string, byte[]> files) => _files = files;

    public static OciArchive Read(string path)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var reader = new TarReader(File.OpenRead(path));
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream is { } data)
            {
                using var copy = new MemoryStream();
                data.CopyTo(copy);
                files[entry.Name.TrimStart('.', '/')] = copy.ToArray();
            }
        }

        return new OciArchive(files);
    }

    /// <summary>A file at the archive's root (oci-layout, index.json, manifest.json), or null.</summary>
    public JsonNode? Json(string name) => _files.TryGetValue(name, out var bytes) ? JsonNode.Parse(bytes) : null;

    /// <summary>The blob with this digest ("sha256:…"); a missing blob fails the test.</summary>
    public byte[] Blob(string digest)
    {
        Assert.True(_files.TryGetValue($"blobs/sha256/{digest["sha256:".Length..]}", out var bytes), $"blob {digest} is not in the archive");
        return bytes!;
    }

    /// <summary>The single entry of index.json: the image index with its annotations.</summary>
    public JsonObject IndexEntry => Assert.Single(Json("index.json")!["manifests"]!.AsArray())!.AsObject();

    /// <summary>Each platform's manifest, by architecture (linux only).</summary>
    public IReadOnlyDictionary<string, JsonObject> Manifests()
    {
        var index = JsonNode.Parse(Blob(IndexEntry["digest"]!.GetValue<string>()))!;
        return index["manifests"]!.AsArray().ToDictionary(
            m => $"{m!["platform"]!["os"]!.GetValue<string>()}/{m["platform"]!["architecture"]!.GetValue<string>()}",
            m => JsonNode.Parse(Blob(m!["digest"]!.GetValue<string>()))!.AsObject());
    }

    /// <summary>The layers of a platform (e.g. "linux/arm64") as shipped: their descriptors.</summary>
    public IReadOnlyList<JsonObject> Layers(string platform) =>
        Manifests()[platform]["layers"]!.AsArray().Select(l => l!.AsObject()).ToList();

    /// <summary>How many bytes a layer holds unpacked (gunzip of the blob).</summary>
    public long UncompressedSize(JsonObject layer)
    {
        using var gzip = new GZipStream(new MemoryStream(Blob(layer["digest"]!.GetValue<string>())), CompressionMode.Decompress);
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = gzip.Read(buffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>
    /// Unpacks a platform's root filesystem into a new temporary folder with GNU tar (absolute symlinks and owners
    /// kept, as a container runtime unpacks it); returns the folder.
    /// </summary>
    public async Task<string> UnpackAsync(string platform)
    {
        var root = Directory.CreateTempSubdirectory("homelab-rootfs-").FullName;
        foreach (var layer in Layers(platform))
        {
            var blob = Path.Combine(root, "..", $"{Path.GetFileName(root)}.layer");
            await File.WriteAllBytesAsync(blob, Blob(layer["digest"]!.GetValue<string>()));
            await ProcessRunner.RunAsync("tar", ["-xzf", blob, "-C", root]);
            File.Delete(blob);
        }

        return root;
    }
}
