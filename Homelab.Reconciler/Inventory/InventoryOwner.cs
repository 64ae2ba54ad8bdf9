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
    /// 16 hex characters: a valid label value, stable for the same cluster, source and path (credentials
    /// in the source URL do not count: a rotated token is the same owner).
    /// </summary>
    public string Key => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{Cluster.TrimEnd('/')}\n{Homelab.Reconciler.Source.UrlRedactor.Redact(Source.Trim().TrimEnd('/'))}\n{Normalize(Path)}")))[..16];

    /// <summary>False when observe-only: nothing is applied, pruned or rebuilt from a cluster.</summary>
    public bool HasCluster => Cluster.Length > 0;

    /// <summary>"source path" for people (the source's credentials removed).</summary>
    public string Description => $"{Homelab.Reconciler.Source.UrlRedactor.Redact(Source)} {Normalize(Path)}";

    private static string Normalize(string path) => path.Replace('\\', '/').Trim().TrimStart('.', '/').TrimEnd('/');
}
