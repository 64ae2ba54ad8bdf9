namespace Homelab.AppHost.Apps;

/// <summary>Container image names as podman accepts them.</summary>
internal static class ImageName
{
    /// <summary>
    /// Prefixes docker.io to a short name ("deluan/navidrome"): podman refuses short names
    /// without an alias. Names that already carry a registry ("ghcr.io/…", "localhost/…") stay.
    /// </summary>
    public static string Qualify(string image)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(image);
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        var first = slash > 0 ? image[..slash] : string.Empty;
        var hasRegistry = first.Contains('.', StringComparison.Ordinal)
            || first.Contains(':', StringComparison.Ordinal)
            || first == "localhost";
        return hasRegistry ? image : $"{ContainerImageTags.Registry}/{image}";
    }
}
