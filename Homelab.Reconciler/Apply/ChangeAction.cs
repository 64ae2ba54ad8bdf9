namespace Homelab.Reconciler.Apply;

/// <summary>What happened to one object in a reconcile: Flux's vocabulary.</summary>
public enum ChangeAction
{
    Created,
    Configured,
    Unchanged,
    Deleted,
    Skipped,
}
