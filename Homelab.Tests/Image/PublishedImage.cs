using Homelab.Tests.AppHost.Publishing;
using k8s.Models;

namespace Homelab.Tests.Image;

/// <summary>The reconciler image the committed published tree names: what a node must find without a pull.</summary>
internal static class PublishedImage
{
    /// <summary>The one image of the reconciler's containers (the service and Navidrome's first-admin job).</summary>
    public static async Task<string> ReferenceAsync()
    {
        var images = (await Publisher.RenderAsync(Publisher.Committed)).OfType<V1Deployment>()
            .SelectMany(d => d.Spec.Template.Spec.Containers)
            .Where(c => c.Args?.FirstOrDefault() is "run" or "navidrome-first-admin")
            .Select(c => c.Image)
            .Distinct()
            .ToList();
        return Assert.Single(images);
    }
}
