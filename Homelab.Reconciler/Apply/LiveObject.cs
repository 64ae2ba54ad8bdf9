using System.Text.Json.Nodes;

namespace Homelab.Reconciler.Apply;

/// <summary>
/// What planning needs of an object as the server stores it. The object itself is kept only when it
/// may be written (its fingerprint or manifest moved): a no-op cycle over a thousand objects then
/// holds a thousand short hashes, not a thousand parsed objects.
/// </summary>
/// <param name="Fingerprint">Its <see cref="OwnedFields"/> fingerprint; null without an Apply entry of ours.</param>
/// <param name="SameManifest">Whether it was applied from this very manifest (its applied-hash matches).</param>
/// <param name="ReconcileDisabled">Whether users opted it out (<see cref="Ownership.IsReconcileDisabled"/>): it is left alone.</param>
/// <param name="Unchanged">
/// Applied from this manifest by this owner, and our fields are stored as recorded after our last write. (An
/// older version's inventory records fingerprints of objects it applied without an owner label: those are
/// written once to get it.)
/// </param>
/// <param name="Object">The object, when it may be written; null when it is unchanged or opted out.</param>
internal sealed record LiveObject(string? Fingerprint, bool SameManifest, bool ReconcileDisabled, bool Unchanged, JsonObject? Object)
{
    /// <summary>Summarises <paramref name="live"/> against the manifest's hash, its owner and the fingerprint recorded after our last write.</summary>
    public static LiveObject Of(JsonObject live, string manifestHash, string? owner, string? recorded)
    {
        ArgumentNullException.ThrowIfNull(live);
        var fingerprint = OwnedFields.Fingerprint(live);
        var sameManifest = Ownership.Annotation(live, Ownership.AppliedHashAnnotation) == manifestHash;
        var disabled = Ownership.IsReconcileDisabled(live);
        var unchanged = sameManifest && fingerprint is not null && fingerprint == recorded && Ownership.Owner(live) == owner;
        return new LiveObject(fingerprint, sameManifest, disabled, unchanged, disabled || unchanged ? null : live);
    }
}
