using Homelab.Defaults;
using Microsoft.Extensions.Configuration;

namespace Homelab.AppHost.Publishing;

/// <summary>
/// What the publish step needs beyond the model, from <c>Homelab:Publish:*</c>.
/// </summary>
/// <param name="Cluster">Cluster name: the folder is <c>clusters/&lt;Cluster&gt;</c>. <value>Default: my-laptop.</value></param>
/// <param name="Profile">"docker-desktop" (Windows paths become the node's <c>/run/desktop/mnt/host/…</c>) or "generic". <value>Default: docker-desktop.</value></param>
/// <param name="MusicFolder">Music folder as the cluster's node sees it. <value>Default: C:\Users\username\Music (the original setup's).</value></param>
/// <param name="NotesFolder">Notes folder as the cluster's node sees it. <value>Default: C:\Users\username\Obsidian.</value></param>
/// <param name="RepositoryUrl">The Git URL the in-cluster reconciler follows. <value>Default: the clone's origin over HTTPS
/// (<see cref="FollowableUrl"/>); without one, the placeholder https://github.com/username/homelab.git.</value></param>
/// <param name="Branch">The branch it follows. <value>Default: main.</value></param>
/// <param name="ReconcilerImage">The reconciler's image reference. <value>Default: docker.io/library/homelab-reconciler:&lt;version&gt;,
/// the full name of the tag <c>eng/build-image.sh</c> builds (Docker and containerd both call a local
/// <c>homelab-reconciler:&lt;version&gt;</c> by it; pulled only if not present).</value></param>
/// <param name="Interval">Polling interval. <value>Default: 00:01:00.</value></param>
/// <param name="Tailscale">Annotate Services for the Tailscale operator. <value>Default: false.</value></param>
/// <param name="NodePorts">Publish the apps' fixed node ports (Navidrome's 30533), open on every node IP. <value>Default: false
/// (ClusterIP: reach the apps through Tailscale or <c>kubectl port-forward</c>).</value></param>
/// <param name="GitCaFile">A PEM file on this machine with the CA of a private Git server; published as the ConfigMap
/// <c>homelab-git-ca</c> the reconciler trusts. <value>Default: none (the image's CA bundle).</value></param>
/// <param name="Storage">"provisioner" (the cluster's default StorageClass gives the claims their volumes) or "host"
/// (a hostPath PersistentVolume under <see cref="DataFolder"/> for every claim, for a cluster without a provisioner). <value>Default: provisioner.</value></param>
/// <param name="DataFolder">With <c>Storage=host</c>, the node's folder holding one folder per claim. <value>Default: /srv/homelab.</value></param>
internal sealed record PublishSettings(
    string Cluster,
    string Profile,
    string MusicFolder,
    string NotesFolder,
    string RepositoryUrl,
    string Branch,
    string ReconcilerImage,
    string Interval,
    bool Tailscale,
    bool NodePorts,
    string? GitCaFile,
    string Storage,
    string DataFolder)
{
    public const string AppsNamespace = "homelab";
    public const string SystemNamespace = "homelab-system";

    /// <summary>Docker Desktop's Kubernetes: Windows paths become the node's <c>/run/desktop/mnt/host/…</c>.</summary>
    public const string DockerDesktopProfile = "docker-desktop";

    /// <summary>The cluster's default StorageClass binds the claims.</summary>
    public const string ProvisionerStorage = "provisioner";

    /// <summary>Publish writes a hostPath PersistentVolume for every claim.</summary>
    public const string HostStorage = "host";

    public string ClusterPath => $"clusters/{Cluster}";

    /// <summary>The in-cluster reconciler's notifications; null (the default) when off.</summary>
    public PublishedNotify? Notify { get; init; }

    /// <summary>The version of this build (Directory.Build.props), which <c>eng/build-image.sh</c> tags the image with.</summary>
    public static string ProductVersion { get; } = typeof(PublishSettings).Assembly.GetName().Version!.ToString(3);

    public static PublishSettings Read(IConfiguration configuration, string? originUrl)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Homelab:Publish");
        string Get(string key, string fallback) => section[key] is { Length: > 0 } value ? value : fallback;
        return new PublishSettings(
            Get("Cluster", ReconcilerDefaults.Cluster),
            Get("Profile", DockerDesktopProfile),
            Get("MusicFolder", @"C:\Users\username\Music"),
            Get("NotesFolder", @"C:\Users\username\Obsidian"),
            Get("RepositoryUrl", FollowableUrl.FromOrigin(originUrl) ?? ReconcilerDefaults.PlaceholderRepositoryUrl),
            Get("Branch", ReconcilerDefaults.Ref),
            Get("ReconcilerImage", $"docker.io/library/homelab-reconciler:{ProductVersion}"),
            Get("Interval", ReconcilerDefaults.Interval.ToString("c", System.Globalization.CultureInfo.InvariantCulture)),
            section.GetValue("Tailscale", false),
            section.GetValue("NodePorts", false),
            section["GitCaFile"] is { Length: > 0 } ca ? ca : null,
            Get("Storage", ProvisionerStorage),
            Get("DataFolder", "/srv/homelab"))
        {
            Notify = PublishedNotify.Read(section),
        };
    }

    /// <summary>Settings that cannot be published, each naming the setting as a user writes it.</summary>
    public IEnumerable<string> Errors()
    {
        if (Storage is not (ProvisionerStorage or HostStorage))
        {
            yield return $"Homelab:Publish:Storage is \"{Storage}\": use \"{ProvisionerStorage}\" or \"{HostStorage}\"";
        }

        if (Storage == HostStorage && HostPathTranslator.Translate(DataFolder, Profile, out var dataError) is null)
        {
            yield return $"Homelab:Publish:DataFolder: {dataError}";
        }

        if (GitCaFile is not null && !File.Exists(GitCaFile))
        {
            yield return $"Homelab:Publish:GitCaFile is \"{GitCaFile}\", which does not exist";
        }

        foreach (var error in Notify?.Errors() ?? [])
        {
            yield return error;
        }
    }
}
