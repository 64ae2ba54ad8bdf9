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
/// <param name="ReconcilerImage">The reconciler's image reference. <value>Default: homelab-reconciler:&lt;version&gt;, the tag
/// <c>eng/build-image.sh</c> builds on this machine (pulled only if not present).</value></param>
/// <param name="Interval">Polling interval. <value>Default: 00:01:00.</value></param>
/// <param name="Tailscale">Annotate Services for the Tailscale operator. <value>Default: false.</value></param>
internal sealed record PublishSettings(
    string Cluster,
    string Profile,
    string MusicFolder,
    string NotesFolder,
    string RepositoryUrl,
    string Branch,
    string ReconcilerImage,
    string Interval,
    bool Tailscale)
{
    public const string AppsNamespace = "homelab";
    public const string SystemNamespace = "homelab-system";

    /// <summary>What the committed example follows, and what a clone publishes without an https or SSH origin.</summary>
    public const string PlaceholderRepositoryUrl = ReconcilerDefaults.PlaceholderRepositoryUrl;

    public string ClusterPath => $"clusters/{Cluster}";

    /// <summary>The version of this build (Directory.Build.props), which <c>eng/build-image.sh</c> tags the image with.</summary>
    public static string ProductVersion { get; } = typeof(PublishSettings).Assembly.GetName().Version!.ToString(3);

    public static PublishSettings Read(IConfiguration configuration, string? originUrl)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Homelab:Publish");
        string Get(string key, string fallback) => section[key] is { Length: > 0 } value ? value : fallback;
        return new PublishSettings(
            Get("Cluster", ReconcilerDefaults.Cluster),
            Get("Profile", "docker-desktop"),
            Get("MusicFolder", @"C:\Users\username\Music"),
            Get("NotesFolder", @"C:\Users\username\Obsidian"),
            Get("RepositoryUrl", FollowableUrl.FromOrigin(originUrl) ?? PlaceholderRepositoryUrl),
            Get("Branch", ReconcilerDefaults.Ref),
            Get("ReconcilerImage", $"homelab-reconciler:{ProductVersion}"),
            Get("Interval", ReconcilerDefaults.Interval.ToString("c", System.Globalization.CultureInfo.InvariantCulture)),
            section.GetValue("Tailscale", false));
    }
}
