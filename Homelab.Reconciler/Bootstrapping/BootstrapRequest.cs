namespace Homelab.Reconciler.Bootstrapping;

/// <summary>What `bootstrap` was asked to do.</summary>
/// <param name="RepositoryRoot">The local clone (absolute).</param>
/// <param name="ClusterPath">The cluster's folder in it (<c>clusters/my-laptop</c>).</param>
/// <param name="Kubeconfig">The kubeconfig; null: KUBECONFIG, ~/.kube/config, in-cluster.</param>
/// <param name="SecretsFile">The AppHost's parameters.</param>
/// <param name="DryRun">Print, contact no server.</param>
/// <param name="Timeout">How long to wait for the in-cluster reconciler's first cycle; null: do not wait.</param>
/// <param name="AgeKeyFile">The age identities file stored as Secret homelab-age-key, which decrypts the tree's SOPS-encrypted objects; null: none.</param>
internal sealed record BootstrapRequest(string RepositoryRoot, string ClusterPath, string? Kubeconfig, string SecretsFile, bool DryRun, TimeSpan? Timeout, string? AgeKeyFile = null);
