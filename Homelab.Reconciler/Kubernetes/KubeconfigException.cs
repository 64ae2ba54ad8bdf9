namespace Homelab.Reconciler.Kubernetes;

/// <summary>The cluster configuration (kubeconfig or in-cluster service account) is missing or unusable.</summary>
public sealed class KubeconfigException : Exception
{
    public KubeconfigException()
    {
    }

    public KubeconfigException(string message)
        : base(message)
    {
    }

    public KubeconfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
