namespace Homelab.Reconciler.Apply;

/// <summary>Why an object was (or, in a diff, would be) handled as it was, when its action alone does not say.</summary>
public enum ChangeReasonKind
{
    /// <summary>Created in a diff although the server does not serve its kind yet: its definition comes in the same revision.</summary>
    KindNotServedYet,

    /// <summary>Skipped: the object is marked <c>homelab.dev/reconcile: disabled</c>.</summary>
    ReconcileDisabled,

    /// <summary>Configured in a diff without a dry run: the API server stores dry runs (detail: the evidence).</summary>
    Unchecked,

    /// <summary>Written again under this owner's label, by the same owner under its former key.</summary>
    OwnerRecorded,

    /// <summary>Taken over from another source or path (detail: its owner key).</summary>
    Adopted,

    /// <summary>Created by a POST that was never followed by its apply.</summary>
    InterruptedApply,

    /// <summary>Changed out of band and taken back (detail: the field managers that changed it, when known).</summary>
    DriftRepaired,

    /// <summary>A diff's dry run was stored by the server: it changed the object.</summary>
    DryRunStored,

    /// <summary>Not pruned: the server no longer serves its kind.</summary>
    KindNoLongerServed,

    /// <summary>Not pruned: it was already deleted.</summary>
    AlreadyGone,

    /// <summary>Not pruned: it does not carry our owner label.</summary>
    NotLabelledAsOurs,

    /// <summary>Not pruned: another source or path owns it now (detail: its owner key).</summary>
    OwnedByAnother,

    /// <summary>Not pruned: the object is marked <c>homelab.dev/prune: disabled</c>.</summary>
    PruneDisabled,
}
