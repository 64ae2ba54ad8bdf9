namespace Homelab.AppHost.Publishing;

/// <summary>
/// In the cluster the container's root filesystem is read-only; each scratch path (where the app writes
/// beyond its volumes, such as <c>/tmp</c>) gets its own <c>emptyDir</c>.
/// </summary>
internal sealed record ReadOnlyRootAnnotation(params string[] ScratchPaths) : IResourceAnnotation;
