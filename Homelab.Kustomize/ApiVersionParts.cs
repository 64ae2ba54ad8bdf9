namespace Homelab.Kustomize;

/// <summary>The parts of a Kubernetes apiVersion ("v1", "apps/v1"), as kustomize splits it.</summary>
public static class ApiVersionParts
{
    /// <summary>The API group: "" for the core group ("v1"), "apps" for "apps/v1".</summary>
    public static string GroupOf(string apiVersion)
    {
        ArgumentNullException.ThrowIfNull(apiVersion);
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? string.Empty : apiVersion[..slash];
    }

    /// <summary>The version without its group: "v1" for both "v1" and "apps/v1".</summary>
    public static string VersionOf(string apiVersion)
    {
        ArgumentNullException.ThrowIfNull(apiVersion);
        return apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..];
    }
}
