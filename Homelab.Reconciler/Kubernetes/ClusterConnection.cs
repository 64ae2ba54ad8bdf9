using System.Security.Cryptography.X509Certificates;

namespace Homelab.Reconciler.Kubernetes;

/// <summary>
/// Where a cluster is and how to talk to it, as a kubeconfig context or the in-cluster service account
/// describes it: the server, how to trust it, and who we are.
/// </summary>
/// <param name="Server">The API server's address.</param>
/// <param name="Authority">Certificates that may sign the server's certificate; null: the system's trust store.</param>
/// <param name="SkipTlsVerify">insecure-skip-tls-verify: any server certificate is accepted.</param>
/// <param name="TlsServerName">The name to expect in the server's certificate, when not the host of <paramref name="Server"/>.</param>
/// <param name="ClientCertificate">The client certificate with its key, when the user authenticates by certificate.</param>
/// <param name="Credentials">The Authorization header's source, when the user authenticates by token or password.</param>
public sealed record ClusterConnection(
    Uri Server,
    X509Certificate2Collection? Authority,
    bool SkipTlsVerify,
    string? TlsServerName,
    X509Certificate2? ClientCertificate,
    ClusterCredentials? Credentials);
