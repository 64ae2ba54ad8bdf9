using Homelab.Reconciler.Kubernetes;

namespace Homelab.Reconciler.Apply;

/// <summary>One object and what was (or, in a diff, would be) done to it.</summary>
/// <param name="Target">The object.</param>
/// <param name="Action">What was done.</param>
/// <param name="Reason">Why, when the action alone does not say (drift repaired, reconcile disabled).</param>
/// <param name="Fingerprint">Its <see cref="OwnedFields"/> fingerprint as the server stored it after this change.</param>
public sealed record Change(ObjectReference Target, ChangeAction Action, ChangeReason? Reason = null, string? Fingerprint = null)
{
    /// <summary>"Deployment/apps/web configured", as kubectl prints.</summary>
    public override string ToString() => Reason is null ? $"{Target} {Action.ToString().ToLowerInvariant()}" : $"{Target} {Action.ToString().ToLowerInvariant()} ({Reason})";
}
