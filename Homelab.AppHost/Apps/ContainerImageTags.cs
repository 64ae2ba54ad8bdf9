namespace Homelab.AppHost.Apps;

/// <summary>The container images Homelab runs, pinned in one place.</summary>
internal static class ContainerImageTags
{
    /// <summary>docker.io (podman refuses short names).</summary>
    public const string Registry = "docker.io";

    /// <summary>deluan/navidrome</summary>
    public const string NavidromeImage = "deluan/navidrome";

    /// <summary>0.58.5, the version the original setup ran.</summary>
    public const string NavidromeTag = "0.58.5";

    /// <summary>syncthing/syncthing</summary>
    public const string SyncthingImage = "syncthing/syncthing";

    /// <summary>1.30.0: the last 1.x line, whose CLI matches Debian's 1.19 used as a local stand-in.</summary>
    public const string SyncthingTag = "1.30.0";
}
