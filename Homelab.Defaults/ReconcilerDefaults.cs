namespace Homelab.Defaults;

/// <summary>
/// What the reconciler does when nobody says otherwise. <c>Homelab.Reconciler</c>'s options start from
/// these; the AppHost runs the reconciler and publishes the cluster with them.
/// </summary>
public static class ReconcilerDefaults
{
    /// <summary>The cluster published and reconciled: its folder is <c>clusters/&lt;Cluster&gt;</c>.</summary>
    public const string Cluster = "my-laptop";

    /// <summary>The folder rendered, relative to the repository root.</summary>
    public const string Path = "clusters/" + Cluster;

    /// <summary>The branch followed.</summary>
    public const string Ref = "main";

    /// <summary>
    /// What the committed example follows, and what publish writes without an https or SSH origin: never a
    /// repository anyone owns, so bootstrap refuses a tree that follows it.
    /// </summary>
    public const string PlaceholderRepositoryUrl = "https://github.com/username/homelab.git";

    /// <summary>The setting that replaces <see cref="PlaceholderRepositoryUrl"/> at publish.</summary>
    public const string RepositoryUrlSetting = "Homelab:Publish:RepositoryUrl";

    /// <summary>The environment variable holding the https Git token.</summary>
    /// <summary>The Secret in homelab-system holding the age key the reconciler decrypts SOPS-encrypted manifests with; <c>bootstrap --age-key-file</c> creates it.</summary>
    public const string AgeKeySecret = "homelab-age-key";

    /// <summary>The key of <see cref="AgeKeySecret"/> holding the age identities file.</summary>
    public const string AgeKeySecretKey = "age.agekey";

    /// <summary>Where the published Deployment mounts <see cref="AgeKeySecret"/>.</summary>
    public const string AgeKeyFolder = "/etc/homelab/age";

    public const string TokenEnvironmentVariable = "GIT_TOKEN";

    /// <summary>The values of <c>Reconciler:Notify:Kind</c>: the receivers the reconciler speaks to.</summary>
    public static readonly IReadOnlyList<string> NotifyKinds = ["ntfy", "gotify", "apprise", "webhook"];

    /// <summary>The Secret in homelab-system holding the notification token (key <see cref="NotifyTokenSecretKey"/>), created out of band.</summary>
    public const string NotifyTokenSecret = "homelab-notify";

    /// <summary>The key of <see cref="NotifyTokenSecret"/> holding the token.</summary>
    public const string NotifyTokenSecretKey = "token";

    /// <summary>Where the published Deployment mounts <see cref="NotifyTokenSecret"/>.</summary>
    public const string NotifyTokenFolder = "/etc/homelab/notify";

    /// <summary>Where `run` listens when no URL is configured, and where `status` looks for it.</summary>
    public const int HttpPort = 5380;

    /// <summary>The in-cluster reconciler's memory limit, in MiB: the published Deployment's, and what the benchmark holds it to.</summary>
    public const int PodMemoryLimitMiB = 128;

    /// <summary>Objects written at once.</summary>
    public const int Concurrency = 8;

    /// <summary>How often Git is polled (drift is watched continuously).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>How long to wait for workloads to become healthy.</summary>
    public static readonly TimeSpan HealthTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Where the working copy, the inventories and the lock live: <c>~/.homelab/reconciler</c>.</summary>
    public static string StateDirectory => System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".homelab", "reconciler");
}
