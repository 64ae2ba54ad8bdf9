using Homelab.Reconciler.Kubernetes;

namespace Homelab.Reconciler.Health;

/// <summary>One applied object's health as a health wait last saw it.</summary>
public sealed record ObjectHealth(ObjectReference Target, HealthStatus Health)
{
    /// <summary>"Kind/namespace/name: State: why", the line a failed health check lists.</summary>
    public override string ToString() => $"{Target}: {Health}";
}
