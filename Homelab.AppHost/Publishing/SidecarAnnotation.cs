namespace Homelab.AppHost.Publishing;

/// <summary>
/// Runs this container beside <paramref name="App"/>: locally its own resource, in the cluster a
/// second container of the app's pod (same volumes, same user), never a Deployment of its own.
/// </summary>
internal sealed record SidecarAnnotation(ContainerResource App) : IResourceAnnotation;
