using Homelab.Reconciler.Inventory;

namespace Homelab.Reconciler.Apply;

/// <summary>One object and what was (or, in a diff, would be) done to it.</summary>
public sealed record Change(ObjectReference Target, ChangeAction Action, string? Reason = null)
{
    /// <summary>"Deployment/apps/web configured", as kubectl prints.</summary>
    public override string ToString() => Reason is null ? $"{Target} {Action.ToString().ToLowerInvariant()}" : $"{Target} {Action.ToString().ToLowerInvariant()} ({Reason})";
}
