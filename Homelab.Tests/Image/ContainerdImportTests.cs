using Homelab.Tests.AppHost.Publishing;
using Homelab.Tests.Infrastructure;
using k8s.Models;

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
        var images = (await Publisher.RenderAsync(Publisher.Committed)).OfType<V1Deployment>()
            .SelectMany(d => d.Spec.Template.Spec.Containers)
            .Where(c => c.Args?.FirstOrDefault() is "run" or "navidrome-first-admin")
            .Select(c => c.Image)
            .Distinct()
            .ToList();
        var published = Assert.Single(images);

        await using var containerd = await Containerd.StartAsync();
        var ns = $"homelab-test-{Guid.NewGuid():N}";
        var import = await containerd.CtrAsync(ns, "images", "import", archive);
        var names = await containerd.CtrAsync(ns, "images", "ls", "-q");

        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Contains(published, names.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
