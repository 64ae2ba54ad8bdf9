using System.Security.Cryptography;
using System.Text;

namespace Homelab.Reconciler.Inventory;

/// <summary>
/// Who an inventory, and every object it lists, belongs to: one cluster, one source, one path. Another
/// source or path on the same state directory has its own inventory and never prunes this one's objects;
/// each applied object carries <see cref="Key"/> as the label <c>homelab.dev/owner</c>, so a lost state
/// directory is rebuilt from the cluster.
/// </summary>
/// <param name="Cluster">The API server's address; empty without a cluster (observe-only).</param>
/// <param name="Source">The Git source as configured.</param>
/// <param name="Path">The rendered folder.</param>
public sealed record InventoryOwner(string Cluster, string Source, string Path)
{
    /// <summary>
    /// 16 hex characters, the label value on every object: the same for the same source and path on whatever
    /// client applies them. The cluster is not part of it: the label lives in that cluster already, and the API
    /// server's address differs between a laptop's kubeconfig and a pod (bootstrap and the CLI on a laptop, the
    /// reconciler in the cluster); with it each would call the others' objects adopted. Credentials in the
    /// source URL and a trailing <c>.git</c> do not count: a rotated token is the same owner.
    /// </summary>
    public string Key => Hash($"{NormalizeSource(Source)}\n{Normalize(Path)}");

    /// <summary>
    /// 16 hex characters naming this owner's inventory file: one per cluster too, since one state directory may
    /// serve several. It is the key owners had before <see cref="Key"/> dropped the cluster: their files are still
    /// found, and objects an earlier version labelled with it are still this owner's (relabelled, pruned, never adopted).
    /// </summary>
    public string FileKey => Hash($"{Cluster.TrimEnd('/')}\n{Homelab.Reconciler.Source.UrlRedactor.Redact(Source.Trim().TrimEnd('/'))}\n{Normalize(Path)}");

    /// <summary>False when observe-only: nothing is applied, pruned or rebuilt from a cluster.</summary>
    public bool HasCluster => Cluster.Length > 0;

    /// <summary>"source path" for people (the source's credentials removed).</summary>
    public string Description => $"{Homelab.Reconciler.Source.UrlRedactor.Redact(Source)} {Normalize(Path)}";

    private static string Hash(string identity) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16];

    private static string NormalizeSource(string source)
    {
        var url = Homelab.Reconciler.Source.UrlRedactor.Redact(source.Trim().TrimEnd('/'));
        return url.EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? url[..^4] : url;
    }

    private static string Normalize(string path) => path.Replace('\\', '/').Trim().TrimStart('.', '/').TrimEnd('/');
}
