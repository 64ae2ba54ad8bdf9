namespace Homelab.Tests.Image;

/// <summary>
/// Loading the image into a node's containerd without a registry (k3s, kubeadm): the archive
/// <c>eng/build-image.sh --save</c> writes, imported with <c>ctr images import</c> as README says, is
/// found under the exact name the published Deployments use, so <c>IfNotPresent</c> never pulls.
/// Skipped only where podman (outside CI) or containerd cannot run.
/// </summary>
public sealed class ContainerdImportTests(ReconcilerImageFixture image) : IClassFixture<ReconcilerImageFixture>
{
    [ContainerdFact]
    public async Task The_saved_archive_imports_into_containerd_under_the_published_image_name()
    {
        var archive = image.Archive;
        var published = await PublishedImage.ReferenceAsync();

        await using var containerd = await Containerd.StartAsync();
        var ns = $"homelab-test-{Guid.NewGuid():N}";
        var import = await containerd.CtrAsync(ns, "images", "import", archive);
        var names = await containerd.CtrAsync(ns, "images", "ls", "-q");

        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Contains(published, names.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
