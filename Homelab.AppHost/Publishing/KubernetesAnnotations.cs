namespace Homelab.AppHost.Publishing;

/// <summary>The HTTP path Kubernetes probes for readiness and liveness (the cluster twin of the resource's health check).</summary>
internal sealed record HttpProbeAnnotation(string Path, string EndpointName) : IResourceAnnotation;

/// <summary>Publishes the endpoint on a fixed node port, as the original setup's NodePort 30533.</summary>
internal sealed record NodePortAnnotation(string EndpointName, int NodePort) : IResourceAnnotation;

/// <summary>Requests and limits, from the original setup's resource budgets.</summary>
internal sealed record ResourceBudgetAnnotation(string CpuRequest, string CpuLimit, string MemoryRequest, string MemoryLimit) : IResourceAnnotation;

/// <summary>The user and group the image runs as (non-root where the image allows it).</summary>
internal sealed record RunAsAnnotation(long User, long Group) : IResourceAnnotation;
