using Homelab.Reconciler.Kubernetes;

namespace Homelab.Reconciler.Health;

/// <summary>An applied object that was not healthy when a health wait ended, and why.</summary>
public sealed record UnhealthyObject(ObjectReference Reference, HealthStatus Health)
{
    /// <summary>As the cycle's message lists it: <c>Kind/namespace/name: State: why</c>.</summary>
    public override string ToString() => $"{Reference}: {Health}";
}
