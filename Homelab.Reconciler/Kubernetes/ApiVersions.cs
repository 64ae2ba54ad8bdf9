namespace Homelab.Reconciler.Kubernetes;

/// <summary>What an apiVersion ("v1", "apps/v1") says: its group and where it is served.</summary>
public static class ApiVersions
{
    /// <summary>The API group ("" for core).</summary>
    public static string GroupOf(string apiVersion)
    {
        ArgumentNullException.ThrowIfNull(apiVersion);
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? string.Empty : apiVersion[..slash];
    }

    /// <summary>The version without its group.</summary>
    public static string VersionOf(string apiVersion)
    {
        ArgumentNullException.ThrowIfNull(apiVersion);
        return apiVersion[(apiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..];
    }

    /// <summary>"/api/v1" for the core group, "/apis/group/version" for the others.</summary>
    public static string PathOf(string apiVersion) => GroupOf(apiVersion).Length == 0 ? $"/api/{apiVersion}" : $"/apis/{apiVersion}";
}
