using Homelab.Defaults;

namespace Homelab.Reconciler.Reconcile;

/// <summary>
/// The reconciler's settings: bound from <c>Reconciler:*</c> (environment <c>Reconciler__*</c>) for
/// <c>run</c> and the CLI verbs alike, the verbs' same-named flags winning (<c>Cli/CliSettings</c>). The defaults are
/// <see cref="ReconcilerDefaults"/>'s, which the AppHost uses too; <see cref="ReconcileOptionsValidator"/>
/// checks them at start.
/// </summary>
public sealed class ReconcileOptions
{
    public const string Section = "Reconciler";

    /// <summary>Git URL or local repository path.</summary>
    public string Source { get; set; } = string.Empty;

    /// <summary>Branch, tag or commit. <value>Default: main.</value></summary>
    public string Ref { get; set; } = ReconcilerDefaults.Ref;

    /// <summary>Folder rendered, relative to the repository root. <value>Default: clusters/my-laptop.</value></summary>
    public string Path { get; set; } = ReconcilerDefaults.Path;

    /// <summary>Kubeconfig file; empty means KUBECONFIG, ~/.kube/config, then in-cluster.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>Where the working copy and the inventory live. <value>Default: ~/.homelab/reconciler.</value></summary>
    public string StateDirectory { get; set; } = ReconcilerDefaults.StateDirectory;

    /// <summary>File holding the Git token for https sources.</summary>
    public string? TokenFile { get; set; }

    /// <summary>Environment variable holding the Git token. <value>Default: GIT_TOKEN.</value></summary>
    public string TokenEnvironmentVariable { get; set; } = ReconcilerDefaults.TokenEnvironmentVariable;

    /// <summary>
    /// PEM file of certificate authorities trusted for https Git fetches in addition to the system's roots (a
    /// private Git server with its own CA); host names are still checked. Linux only. Empty: the system's roots only.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>
    /// File of age identities (<c>AGE-SECRET-KEY-1…</c>) that decrypt the revision's SOPS-encrypted objects; in the cluster,
    /// Secret <c>homelab-age-key</c> mounted by the published Deployment. <c>SOPS_AGE_KEY_FILE</c> and <c>SOPS_AGE_KEY</c>
    /// count too, as for sops. <value>Default: none.</value>
    /// </summary>
    public string? AgeKeyFile { get; set; }

    /// <summary>Allow a revision that renders nothing to prune everything.</summary>
    public bool AllowEmpty { get; set; }

    /// <summary>Polling interval. <value>Default: 1 minute.</value></summary>
    public TimeSpan Interval { get; set; } = ReconcilerDefaults.Interval;

    /// <summary>How long to wait for workloads to become ready. <value>Default: 2 minutes.</value></summary>
    public TimeSpan HealthTimeout { get; set; } = ReconcilerDefaults.HealthTimeout;

    /// <summary>
    /// How long the loop may go without starting or finishing a cycle before liveness (<c>/alive</c>) fails and
    /// the kubelet restarts the pod. <value>Default (null): <see cref="StallLimit"/>'s rule.</value>
    /// </summary>
    public TimeSpan? StallTimeout { get; set; }

    /// <summary>
    /// <see cref="StallTimeout"/>, else twice the longest a healthy loop goes quiet: the longest wait between
    /// cycles (the interval plus its 20% jitter) plus the longest cycle it can plan for (a Git sync's timeout
    /// and two health waits: CRDs and Namespaces, then workloads). Default settings: 12.4 minutes.
    /// </summary>
    public TimeSpan StallLimit => StallTimeout ?? 2 * ((Interval * 1.2) + SourceOptions().Timeout + (2 * HealthTimeout));

    /// <summary>Bearer token for <c>/reconcile</c>, <c>/suspend</c> and <c>/resume</c>; without one they refuse.</summary>
    public string? ApiToken { get; set; }

    /// <summary>Shared secret of the GitHub webhook (<c>X-Hub-Signature-256</c>); without one the webhook refuses.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>The Git source these settings describe; its working copy lives in <c>&lt;StateDirectory&gt;/source</c>.</summary>
    public Source.GitSourceOptions SourceOptions() => new()
    {
        Url = Source,
        Ref = Ref,
        StateDirectory = System.IO.Path.Combine(StateDirectory, "source"),
        TokenFile = TokenFile,
        TokenEnvironmentVariable = TokenEnvironmentVariable,
        CaFile = string.IsNullOrWhiteSpace(CaFile) ? null : CaFile,
        CaFileSetting = $"{Section}:{nameof(CaFile)}",
    };

    /// <summary>The inventory of this source and path on <paramref name="cluster"/> (null: no cluster), in the state directory.</summary>
    public Inventory.InventoryStore Inventory(Uri? cluster, Microsoft.Extensions.Logging.ILogger logger) =>
        new(StateDirectory, new Inventory.InventoryOwner(cluster?.ToString() ?? string.Empty, Source, Path), logger);

    /// <summary>Objects written at once. <value>Default: 8.</value></summary>
    public int Concurrency { get; set; } = ReconcilerDefaults.Concurrency;
}
