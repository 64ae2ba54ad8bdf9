using Homelab.Kustomize;

namespace Homelab.Reconciler.Kubernetes;

/// <summary>What an apiVersion ("v1", "apps/v1") says: its group and where it is served.</summary>
public static class ApiVersions
{
    /// <summary>The API group ("" for core); split as the renderer splits it (<see cref="ApiVersionParts"/>).</summary>
    public static string GroupOf(string apiVersion) => ApiVersionParts.GroupOf(apiVersion);

    /// <summary>The version without its group.</summary>
    public static string VersionOf(string apiVersion) => ApiVersionParts.VersionOf(apiVersion);

    /// <summary>"/api/v1" for the core group, "/apis/group/version" for the others.</summary>
    public static string PathOf(string apiVersion) => GroupOf(apiVersion).Length == 0 ? $"/api/{apiVersion}" : $"/apis/{apiVersion}";
}
