namespace Homelab.AppHost.Publishing;

/// <summary>
/// In the cluster, the pod gets the reconciler's <c>navidrome-first-admin</c> sidecar, which creates the
/// first admin through the named endpoint and keeps the pod unready (out of its Service) until it exists.
/// </summary>
internal sealed record FirstAdminSidecarAnnotation(string EndpointName) : IResourceAnnotation;
