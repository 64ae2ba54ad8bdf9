namespace Homelab.Reconciler.Drift;

/// <summary>What a watch event says about a managed object, reduced to what judging drift needs.</summary>
/// <param name="Deleted">The object was deleted.</param>
/// <param name="Fingerprint">Its <see cref="Apply.OwnedFields"/> fingerprint as stored; null without an Apply entry of ours.</param>
/// <param name="LastManager">The last field manager other than ours, named when someone keeps fighting us.</param>
internal sealed record ObservedChange(bool Deleted, string? Fingerprint, string LastManager);
